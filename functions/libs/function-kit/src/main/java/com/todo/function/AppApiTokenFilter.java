package com.todo.function;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteInfo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every route answers only callers that present the app token in the {@code dapr-api-token} header, as daprd does
 * when {@code APP_API_TOKEN} is set (architecture D4) — except the probes and the user and admin APIs, which
 * prove their callers with a JWT. The decision is taken on the route the router matched, not on the request's path,
 * so no spelling of a path (trailing or doubled slash, encoded characters) reaches a handler the token guards; a
 * route added later is guarded without being listed. Without a configured token every route is open (local mode).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class AppApiTokenFilter implements Ordered {

    public static final String HEADER = "dapr-api-token";

    /** Route templates anyone may call: the probes. */
    public static final Set<String> OPEN_ROUTES = Set.of("/health", "/health/liveness", "/health/readiness");
    /** The user API and the admin API: every route under them needs a JWT instead (micronaut-security). */
    public static final List<String> JWT_ROUTES = List.of("/api/", "/admin/");

    private final byte[] token;

    public AppApiTokenFilter(@Value("${todo.app-api-token:}") String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int getOrder() {
        // before security, so an internal route never reaches the JWT check and its 401s
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (token.length == 0 || isOpen(request)) {
            return null;
        }
        List<String> presented = request.getHeaders().getAll(HEADER);
        // constant-time comparison: the token is a shared secret; two headers are refused, whatever they hold
        if (presented.size() == 1 && MessageDigest.isEqual(token, presented.get(0).getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return Problem.response(HttpStatus.UNAUTHORIZED, "this route needs the app token in the " + HEADER + " header");
    }

    /** Whether a route template is one of those whose callers prove themselves with a JWT. */
    public static boolean provedByJwt(String template) {
        return JWT_ROUTES.stream().anyMatch(template::startsWith);
    }

    /** Whether the request matched a route this filter guards: neither a probe nor a JWT route. */
    public static boolean guardedRoute(HttpRequest<?> request) {
        return RouteAttributes.getRouteMatch(request).isPresent() && !isOpen(request);
    }

    /** Open: the probes, the JWT routes, and a request that matched no route (it runs no handler: a 404 or 405). */
    private static boolean isOpen(HttpRequest<?> request) {
        Optional<String> template = RouteAttributes.getRouteInfo(request)
                .filter(UriRouteInfo.class::isInstance)
                .map(info -> ((UriRouteInfo<?, ?>) info).getUriMatchTemplate().toPathString());
        if (template.isEmpty()) {
            return RouteAttributes.getRouteMatch(request).isEmpty();
        }
        String path = template.get();
        return OPEN_ROUTES.contains(path) || provedByJwt(path);
    }
}
