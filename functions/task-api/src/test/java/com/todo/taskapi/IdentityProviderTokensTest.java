package com.todo.taskapi;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokens of an identity provider: RS256/ES256 against the JWKS it publishes (a real HTTP server here, real key
 * pairs), its issuer and this API's audience required; every other token is a 401 with RFC 6750's challenge.
 */
@MicronautTest(transactional = false)
class IdentityProviderTokensTest extends ApiTest {

    private static final String ISSUER = "https://idp.example.test/realms/todo";
    private static final String AUDIENCE = "todo-api";

    private final RSAKey rsa = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());
    private final RSAKey rotated = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-2").generate());
    private final ECKey ec = generate(() -> new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate());
    private final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(List.of(rsa.toPublicJWK(),
            ec.toPublicJWK())));
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile long answerDelayMillis;
    private final HttpServer idp = jwksServer();

    private HttpServer jwksServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/jwks.json", exchange -> {
                fetches.incrementAndGet();
                try {
                    Thread.sleep(answerDelayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    Map<String, String> extraProperties() {
        return Map.of("todo.jwt.jwks-url", "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json",
                "todo.jwt.issuer", ISSUER,
                "todo.jwt.audience", AUDIENCE,
                "todo.jwt.jwks-min-refresh-interval", "0s",
                "todo.jwt.jwks-timeout", "1s");
    }

    @AfterAll
    void stopIdp() {
        idp.stop(0);
    }

    private interface KeyMaker<K> {
        K make() throws JOSEException;
    }

    private static <K> K generate(KeyMaker<K> maker) {
        try {
            return maker.make();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims(String user) {
        return new JWTClaimsSet.Builder().subject(user).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private static String signed(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String rs256(String user, UnaryOperator<JWTClaimsSet.Builder> change) {
        return signed(rsa, JWSAlgorithm.RS256, change.apply(claims(user)).build());
    }

    private HttpResponse<String> list(String token) {
        return send("GET", "/api/v1/tasks", null, token);
    }

    private static void assertChallenged(HttpResponse<String> response, String error) {
        assertEquals(401, response.statusCode(), response.body());
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.startsWith("Bearer realm=\"todo\""), challenge);
        if (error == null) {
            assertFalse(challenge.contains("error="), "no error code without a token: " + challenge);
        } else {
            assertTrue(challenge.contains("error=\"" + error + "\""), challenge);
            assertTrue(challenge.contains("error_description=\""), challenge);
        }
    }

    @Test
    void tokensSignedWithAPublishedKeyAreAcceptedAndTheKeysAreFetchedOnce() {
        int before = fetches.get();
        JWTClaimsSet claims = claims("idp-alice").build();
        JsonNodeHolder created = new JsonNodeHolder(expect(201, send("POST", "/api/v1/tasks",
                "{\"title\": \"From the IdP\"}", signed(rsa, JWSAlgorithm.RS256, claims))));
        assertEquals("idp-alice", created.node.get("userId").asText());
        for (int i = 0; i < 5; i++) {
            assertEquals(1, expect(200, list(signed(ec, JWSAlgorithm.ES256, claims))).get("items").size(),
                    "an ES256 token of the same user sees the task");
        }
        assertTrue(fetches.get() - before <= 1, "the key set is cached: " + (fetches.get() - before) + " fetches");
    }

    private record JsonNodeHolder(com.fasterxml.jackson.databind.JsonNode node) {
    }

    @Test
    void afterARotationTheNewKeyIsFetchedOnItsFirstTokenAndTheRemovedKeyIsRefused() {
        expect(200, list(rs256("idp-bob", c -> c)));
        published.set(new JWKSet(List.of(rotated.toPublicJWK(), ec.toPublicJWK())));
        String withNewKey = signed(rotated, JWSAlgorithm.RS256, claims("idp-bob").build());
        expect(200, list(withNewKey));
        assertChallenged(list(rs256("idp-bob", c -> c)), "invalid_token");
        published.set(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())));
        expect(200, list(rs256("idp-bob", c -> c)));
    }

    @Test
    void everyWrongIssuerAudienceAlgorithmOrTimeIs401WithTheChallenge() throws Exception {
        Instant now = Instant.now();
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("another issuer", rs256("idp-carol", c -> c.issuer("https://evil.example.test")));
        refused.put("no issuer", rs256("idp-carol", c -> c.issuer(null)));
        refused.put("another audience", rs256("idp-carol", c -> c.audience("another-api")));
        refused.put("no audience", rs256("idp-carol", c -> c.audience((String) null)));
        refused.put("not before in 5 minutes", rs256("idp-carol", c -> c.notBeforeTime(Date.from(now.plusSeconds(300)))));
        refused.put("expired 5 minutes ago", rs256("idp-carol", c -> c.expirationTime(Date.from(now.minusSeconds(300)))));
        refused.put("no expiry", rs256("idp-carol", c -> c.expirationTime(null)));
        refused.put("no subject", rs256("idp-carol", c -> c.subject(null)));
        refused.put("a numeric subject", rs256("idp-carol", c -> c.claim("sub", 42)));
        refused.put("unknown key", signed(generate(() -> new RSAKeyGenerator(2048).keyID("rsa-x").generate()),
                JWSAlgorithm.RS256, claims("idp-carol").build()));
        refused.put("a published kid, another key", signed(generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1")
                .generate()), JWSAlgorithm.RS256, claims("idp-carol").build()));
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("idp-carol").build());
        hs256.sign(new MACSigner(SECRET));
        refused.put("HS256 with the local secret", hs256.serialize());
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                claims("idp-carol").build());
        confused.sign(new MACSigner(rsa.toPublicJWK().toRSAPublicKey().getEncoded()));
        refused.put("HS256 keyed with the public key", confused.serialize());
        refused.put("alg none", new PlainJWT(claims("idp-carol").build()).serialize());
        refused.put("RS512, not allowed", signed(rsa, JWSAlgorithm.RS512, claims("idp-carol").build()));
        refused.put("not a JWT", "not-a-jwt");
        for (Map.Entry<String, String> token : refused.entrySet()) {
            HttpResponse<String> response = list(token.getValue());
            assertEquals(401, response.statusCode(), token.getKey());
            assertChallenged(response, "invalid_token");
        }
        // within the 60 s of clock skew, not-before and expiry still pass
        expect(200, list(rs256("idp-carol", c -> c.notBeforeTime(Date.from(now.plusSeconds(30)))
                .expirationTime(Date.from(now.minusSeconds(30))))));
    }

    @Test
    void withoutATokenThe401ChallengesWithoutAnErrorCode() {
        assertChallenged(list(null), null);
    }

    @Test
    void aJwksThatDoesNotAnswerInTimeIsA401NotAHang() {
        answerDelayMillis = 3000;
        try {
            String unknownKid = signed(generate(() -> new RSAKeyGenerator(2048).keyID("rsa-slow").generate()),
                    JWSAlgorithm.RS256, claims("idp-dave").build());
            long start = System.nanoTime();
            assertChallenged(list(unknownKid), "invalid_token");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 2500, "answered after " + millis + " ms with a 1 s fetch timeout");
        } finally {
            answerDelayMillis = 0;
        }
    }
}
