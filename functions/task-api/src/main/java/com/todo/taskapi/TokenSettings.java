package com.todo.taskapi;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Where the API's bearer tokens come from, checked at start (a bad setting stops the start with what to fix; no
 * secret is ever logged). With {@code TODO_JWT_JWKS_URL} set, tokens are an identity provider's (RS256/ES256,
 * keys from its JWKS, {@code iss} and {@code aud} required); without, they are HS256 with {@code TODO_JWT_SECRET}
 * (local mode, dev tokens). One source at a time: with a JWKS URL the secret signs nothing that is accepted.
 */
@Context // checked at start, not at the first request
public class TokenSettings {

    static final int MIN_SECRET_BYTES = 32;

    final byte[] secret;
    final URI jwksUrl;
    final String issuer;
    final String audience;
    final String userClaim;
    final List<String> algorithms;
    final Duration jwksCacheTtl;
    final Duration jwksMinRefreshInterval;
    final Duration jwksTimeout;

    public TokenSettings(@Value("${todo.jwt.secret:}") String secret,
                         @Value("${todo.jwt.jwks-url:}") String jwksUrl,
                         @Value("${todo.jwt.issuer:}") String issuer,
                         @Value("${todo.jwt.audience:}") String audience,
                         @Value("${todo.jwt.user-claim:sub}") String userClaim,
                         @Value("${todo.jwt.algorithms:RS256,ES256}") String algorithms,
                         @Value("${todo.jwt.jwks-cache-ttl:5m}") Duration jwksCacheTtl,
                         @Value("${todo.jwt.jwks-min-refresh-interval:30s}") Duration jwksMinRefreshInterval,
                         @Value("${todo.jwt.jwks-timeout:2s}") Duration jwksTimeout) {
        this.issuer = issuer.strip();
        this.audience = audience.strip();
        this.userClaim = userClaim.strip();
        this.algorithms = Arrays.stream(algorithms.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList();
        this.jwksCacheTtl = jwksCacheTtl;
        this.jwksMinRefreshInterval = jwksMinRefreshInterval;
        this.jwksTimeout = jwksTimeout;
        if (jwksUrl.isBlank()) {
            this.jwksUrl = null;
            this.secret = secret.getBytes(StandardCharsets.UTF_8);
            if (this.secret.length < MIN_SECRET_BYTES) {
                throw new ConfigurationException("TODO_JWT_SECRET must be set to a secret of at least "
                        + MIN_SECRET_BYTES + " bytes (in the cluster from the Kubernetes secret todo-app, see "
                        + "knative/task-api.yaml; locally scripts/run-local.sh generates one), or TODO_JWT_JWKS_URL to "
                        + "an identity provider's JWKS (docs/deploy.md)");
            }
            return;
        }
        this.secret = null;
        this.jwksUrl = jwksUri(jwksUrl.strip());
        if (this.issuer.isEmpty() || this.audience.isEmpty()) {
            throw new ConfigurationException("With TODO_JWT_JWKS_URL, TODO_JWT_ISSUER and TODO_JWT_AUDIENCE must be set "
                    + "too (the identity provider's issuer and this API's audience): a token of another issuer or for "
                    + "another API is refused");
        }
        if (this.algorithms.isEmpty() || !this.algorithms.stream().allMatch(a -> a.matches("(RS|PS|ES)(256|384|512)"))) {
            throw new ConfigurationException("TODO_JWT_ALGORITHMS must list asymmetric JWS algorithms such as "
                    + "RS256,ES256");
        }
        if (this.userClaim.isEmpty()) {
            throw new ConfigurationException("TODO_JWT_USER_CLAIM must name a claim (sub by default)");
        }
    }

    boolean jwks() {
        return jwksUrl != null;
    }

    private static URI jwksUri(String url) {
        try {
            URI uri = URI.create(url);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ConfigurationException("TODO_JWT_JWKS_URL must be an http(s) URL such as "
                + "https://idp.example.com/.well-known/jwks.json");
    }
}
