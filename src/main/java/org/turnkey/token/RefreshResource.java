package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.JsonBody;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.ratelimit.ClientAddress;
import org.turnkey.ratelimit.RateLimits;

import java.time.Instant;

@ApplicationScoped
@Path("/_matrix/client/v3/refresh")
@Produces(MediaType.APPLICATION_JSON)
public class RefreshResource {

    @Inject
    RefreshService refreshes;

    @Inject
    RefreshTokenPolicy policy;

    @Inject
    SecurityEvents events;

    @Inject
    RateLimits limits;

    @Inject
    ClientAddress client;

    /**
     * POST /_matrix/client/v3/refresh — no access token needed.
     * <ul>
     *   <li>returns a new access token and refresh token bound to the same device</li>
     *   <li>repeating it before the new tokens are used returns the same new tokens</li>
     *   <li>the old refresh token is revoked once the new tokens are used; presenting it then
     *       gets 401 {@code M_UNKNOWN_TOKEN}, {@code soft_logout: true}, and if the request
     *       arrived after {@code turnkey.refresh-token.duplicate-allowance} it is a replay that
     *       revokes the device's tokens ({@link RefreshTokenPolicy})</li>
     *   <li>rate limited per client address ({@code turnkey.ratelimit.refresh.*})</li>
     * </ul>
     */
    @POST
    public JsonObject refresh(JsonObject body) {
        Instant arrived = policy.now();
        limits.acquire(RateLimits.Kind.REFRESH, client.get());
        IssuedTokens issued = refreshes.refresh(JsonBody.of(body).requireString("refresh_token"), arrived);
        events.refreshed();
        return TokenResponses.refresh(issued);
    }
}
