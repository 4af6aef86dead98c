package com.todo.taskapi;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.todo.domain.TaskRules;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Validates the API's bearer tokens with Nimbus JOSE+JWT, as {@link TokenSettings} says: the signature (HS256 with
 * the secret, or the algorithms allowed against the identity provider's JWKS, fetched with a timeout, cached,
 * fetched again when a token names an unknown {@code kid}), then the claims: {@code exp} required and {@code nbf}
 * honoured with 60 s of skew, {@code iss} and {@code aud} as configured, and a user claim that can own tasks.
 * A refused token leaves its reason on the request for the 401's {@code WWW-Authenticate} ({@link BearerChallenge}).
 */
@Singleton
public class BearerTokenValidator implements TokenValidator<HttpRequest<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenValidator.class);
    static final int CLOCK_SKEW_SECONDS = 60;
    /** Request attribute: why the request's token was refused (RFC 6750 error and description). */
    static final String REFUSAL = "todo.bearer.refusal";

    record Refusal(String error, String description) {
    }

    private final TokenSettings settings;
    private final ConfigurableJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final ExecutorService blocking;

    public BearerTokenValidator(TokenSettings settings, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.settings = settings;
        this.blocking = blocking;
        if (settings.jwks()) {
            Set<JWSAlgorithm> algorithms = new HashSet<>();
            settings.algorithms.forEach(a -> algorithms.add(JWSAlgorithm.parse(a)));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, jwks(settings)));
            // RFC 9068 access tokens are typed at+jwt; most identity providers still send JWT
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                    new JOSEObjectType("at+jwt"), null));
        } else {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                    new ImmutableSecret<>(settings.secret)));
        }
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (!settings.issuer.isEmpty()) {
            exact.issuer(settings.issuer);
        }
        Set<String> required = new HashSet<>(Set.of(JWTClaimNames.EXPIRATION_TIME, settings.userClaim));
        if (!settings.issuer.isEmpty()) {
            required.add(JWTClaimNames.ISSUER);
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience.isEmpty() ? null : new HashSet<>(List.of(settings.audience)), exact.build(), required,
                null); // (Nimbus asks its sets whether they contain null: no Set.of)
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    private static JWKSource<SecurityContext> jwks(TokenSettings settings) {
        int timeout = (int) settings.jwksTimeout.toMillis();
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(timeout, timeout,
                JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT, true,
                "https".equals(settings.jwksUrl.getScheme()) ? JdkTrustedCertificates.socketFactory() : null);
        long minRefresh = settings.jwksMinRefreshInterval.toMillis();
        try {
            JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.create(settings.jwksUrl.toURL(), retriever)
                    .cache(settings.jwksCacheTtl.toMillis(), timeout)
                    .refreshAheadCache(false)
                    .retrying(false);
            return (minRefresh > 0 ? builder.rateLimited(minRefresh) : builder.rateLimited(false)).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("TODO_JWT_JWKS_URL is not a URL", e);
        }
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        if (!settings.jwks()) {
            Authentication user = validate(token, request);
            return user == null ? Publishers.empty() : Publishers.just(user);
        }
        // a JWKS fetch blocks (up to the timeout): never on the event loop
        return Publishers.fromCompletableFuture(() -> CompletableFuture.supplyAsync(() -> validate(token, request),
                blocking));
    }

    private @Nullable Authentication validate(String token, @Nullable HttpRequest<?> request) {
        if (request != null && request.getHeaders().getAll(HttpHeaders.AUTHORIZATION).size() != 1) {
            // so that no proxy and no server disagree on which token counts
            return refuse(request, "invalid_request", "Send exactly one Authorization header");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWTClaimsSet claims = processor.process(jwt, null);
            // the subject as the token states it: a JSON number 42 is not the user "42"
            Object user = jwt.getPayload().toJSONObject().get(settings.userClaim);
            if (!(user instanceof String userId) || TaskRules.userIdProblem(userId) != null) {
                return refuse(request, "invalid_token", "The token's " + settings.userClaim
                        + " claim is not a user id this API accepts");
            }
            return Authentication.build(userId, roles(claims), Map.of());
        } catch (ParseException e) {
            return refuse(request, "invalid_token", "The token is not a signed JWT");
        } catch (BadJWTException e) {
            return refuse(request, "invalid_token", "The token is expired, not yet valid, or not issued for this API");
        } catch (BadJOSEException e) {
            return refuse(request, "invalid_token", "The token's algorithm, key or signature is not accepted");
        } catch (JOSEException e) {
            LOG.warn("bearer token not verified: {}", e.toString());
            return refuse(request, "invalid_token", "The token could not be verified");
        }
    }

    private static List<String> roles(JWTClaimsSet claims) {
        try {
            List<String> roles = claims.getStringListClaim("roles");
            return roles == null ? List.of() : roles;
        } catch (ParseException notAList) {
            return List.of();
        }
    }

    private static Authentication refuse(@Nullable HttpRequest<?> request, String error, String description) {
        if (request != null) {
            request.setAttribute(REFUSAL, new Refusal(error, description));
        }
        return null;
    }
}
