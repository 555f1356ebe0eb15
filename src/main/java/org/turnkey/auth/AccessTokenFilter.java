package org.turnkey.auth;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.token.AccessTokenCache;
import org.turnkey.token.TokenService;

import java.lang.reflect.Method;

/**
 * Spec "Using access tokens": the token comes from {@code Authorization: Bearer} or the
 * deprecated {@code access_token} query parameter; missing is 401 {@code M_MISSING_TOKEN},
 * unknown 401 {@code M_UNKNOWN_TOKEN} (with {@code soft_logout} as {@code SoftLogoutPolicy} decides),
 * a locked account 401 {@code M_USER_LOCKED} except where the endpoint allows it.
 */
@Provider
@Authenticated
@Priority(Priorities.AUTHENTICATION)
public class AccessTokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    TokenService tokens;

    @Inject
    Requester requester;

    @Inject
    SecurityEvents events;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        String token = token(request);
        Authenticated marker = marker(resource.getResourceMethod(), resource.getResourceClass());
        if (token == null) {
            if (marker != null && marker.optional()) {
                return;
            }
            throw tokens.missingToken();
        }
        long start = System.nanoTime();
        AccessTokenCache.Entry entry;
        try {
            entry = tokens.authenticate(token, marker != null && marker.allowExpired(),
                    marker != null && marker.allowLocked());
        } finally {
            events.accessTokenChecked(System.nanoTime() - start);
        }
        requester.set(entry.userId(), entry.deviceId(), entry.sessionId(), entry.oauth());
    }

    /**
     * The endpoint's {@code @Authenticated}: the method's, else its class's. Name binding runs
     * this filter for either, so both must carry their {@code allow*} settings here.
     */
    static Authenticated marker(Method method, Class<?> type) {
        Authenticated onMethod = method == null ? null : method.getAnnotation(Authenticated.class);
        return onMethod != null || type == null ? onMethod : type.getAnnotation(Authenticated.class);
    }

    static String token(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String value = header.substring(BEARER.length()).trim();
            return value.isEmpty() ? null : value;
        }
        String query = request.getUriInfo().getQueryParameters().getFirst("access_token");
        return query == null || query.isEmpty() ? null : query;
    }
}
