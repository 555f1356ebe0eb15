package org.turnkey.oauth.grant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.ratelimit.ClientAddress;
import org.turnkey.token.RefreshTokenPolicy;

import java.time.Instant;

@ApplicationScoped
@Path(OAuthUrls.TOKEN)
public class TokenResource {

    @Inject
    TokenEndpoint endpoint;

    @Inject
    RefreshTokenPolicy policy;

    @Inject
    ClientAddress client;

    /**
     * POST /_turnkey/oauth2/token — the token endpoint (RFC 6749 sections 3.2, 4.1.3, 5, 6;
     * spec "Token request", "Token refresh flow"); {@link TokenEndpoint} decides. Every answer
     * has {@code Cache-Control: no-store} (section 5.1). The body is read as text whatever its
     * type, so a wrong one is {@code invalid_request}, not a container error.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        // Before any lock: a duplicate refresh is told from a replay by when it arrived.
        Instant arrived = policy.now();
        return Response.ok(endpoint.grant(FormParameters.parse(contentType, body), client.get(), arrived))
                .header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }
}
