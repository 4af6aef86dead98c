package com.todo.taskapi;

import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.security.authentication.Authentication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What task-api's token settings accept at start, and the user claim they name. */
class TokenSettingsTest {

    private static TokenSettings settings(String secret, String jwksUrl, String issuer, String audience, String userClaim,
                                          String algorithms) {
        return new TokenSettings(secret, jwksUrl, issuer, audience, userClaim, algorithms, Duration.ofMinutes(5),
                Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://idp.example.test/jwks | '' | todo-api | RS256 | TODO_JWT_ISSUER and TODO_JWT_AUDIENCE",
            "https://idp.example.test/jwks | https://idp.example.test | '' | RS256 | TODO_JWT_ISSUER and TODO_JWT_AUDIENCE",
            "ftp://idp.example.test/jwks | https://idp.example.test | todo-api | RS256 | TODO_JWT_JWKS_URL must be an http(s) URL",
            "not a url | https://idp.example.test | todo-api | RS256 | TODO_JWT_JWKS_URL must be an http(s) URL",
            "https://idp.example.test/jwks | https://idp.example.test | todo-api | HS256 | TODO_JWT_ALGORITHMS",
            "https://idp.example.test/jwks | https://idp.example.test | todo-api | none | TODO_JWT_ALGORITHMS"})
    void aJwksNeedsAnIssuerAnAudienceAnHttpUrlAndAsymmetricAlgorithms(String url, String issuer, String audience,
                                                                    String algorithms, String message) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> settings("", url, issuer, audience, "sub", algorithms));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void theUserIdComesFromTheConfiguredClaim() {
        String secret = ApiTest.SECRET;
        BearerTokenValidator validator = new BearerTokenValidator(settings(secret, "", "", "", "uid", "RS256"),
                Executors.newSingleThreadExecutor());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("a-subject")
                .expirationTime(Date.from(Instant.now().plusSeconds(60)));
        List<Authentication> accepted = Flux.from(validator.validateToken(
                ApiTest.sign(claims.claim("uid", "erin").build(), secret), null)).collectList().block();
        assertEquals(1, accepted.size());
        assertEquals("erin", accepted.get(0).getName());
        assertEquals(List.of(), Flux.from(validator.validateToken(
                ApiTest.sign(claims.claim("uid", null).build(), secret), null)).collectList().block(),
                "a token without the claim is refused");
    }
}
