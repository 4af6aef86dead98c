package com.todo.local;

import com.todo.function.AppApiTokenFilter;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Local mode serves every deployable in task-api's context, so task-api's JWT rules see the functions' and the
 * gateway's routes too. Those routes prove their caller with the app token ({@link AppApiTokenFilter}, which runs
 * first), not with a user's JWT: for every route that filter guards, this rule lets the JWT check pass, without a
 * list of the routes. The user API and the routes no rule names are left to task-api's rules.
 */
@Singleton
@Requires(env = "local")
public class LocalInternalRoutesRule implements SecurityRule<HttpRequest<?>> {

    private final boolean tokenGuarded;

    public LocalInternalRoutesRule(@Value("${todo.app-api-token:}") String appToken) {
        this.tokenGuarded = !appToken.isBlank();
    }

    @Override
    public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request,
                                               @Nullable Authentication authentication) {
        boolean internal = tokenGuarded && request != null && AppApiTokenFilter.guardedRoute(request);
        return Publishers.just(internal ? SecurityRuleResult.ALLOWED : SecurityRuleResult.UNKNOWN);
    }
}
