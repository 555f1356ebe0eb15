package org.turnkey.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * The {@code /_matrix/client/r0/} paths of the auth endpoints, which Synapse still serves and
 * older clients and tools (synadm's {@code matrix login}) still call, are answered exactly as
 * their {@code v3} twins: the request is routed to the v3 resource before matching. Only these
 * endpoints; any other r0 path stays unknown (404 {@code M_UNRECOGNIZED}).
 */
@Provider
@PreMatching
@Priority(100)
public class LegacyR0Paths implements ContainerRequestFilter {

    private static final String R0 = "/_matrix/client/r0/";

    private static final Pattern AUTH_ENDPOINTS = Pattern.compile("(login|logout|logout/all|register"
            + "|register/available|account/whoami|account/password|account/deactivate|devices|devices/[^/]+"
            + "|delete_devices|refresh|capabilities|account/3pid)/?");

    @Override
    public void filter(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path == null || !path.startsWith(R0) || !AUTH_ENDPOINTS.matcher(path.substring(R0.length())).matches()) {
            return;
        }
        URI v3 = UriBuilder.fromUri(uri).replacePath(null)
                .path("/_matrix/client/v3/" + path.substring(R0.length())).build();
        request.setRequestUri(request.getUriInfo().getBaseUri(), v3);
    }
}
