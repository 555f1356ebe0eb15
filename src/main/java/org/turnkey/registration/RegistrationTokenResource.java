package org.turnkey.registration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;

@ApplicationScoped
@Path("/_matrix/client/v1/register/m.login.registration_token/validity")
@Produces(MediaType.APPLICATION_JSON)
public class RegistrationTokenResource {

    @Inject
    RegistrationPolicy registration;

    /**
     * GET /_matrix/client/v1/register/m.login.registration_token/validity — whether a token could register now.
     * <ul>
     *   <li>403 {@code M_FORBIDDEN} when registration is disabled</li>
     *   <li>400 {@code M_MISSING_PARAM} without {@code token}</li>
     *   <li>{@code valid: false} for unknown, used-up or expired tokens; nothing is consumed</li>
     *   <li>rate limited per client address ({@code turnkey.ratelimit.registration-token-validity.*})</li>
     * </ul>
     */
    @GET
    public JsonObject validity(@QueryParam("token") String token) {
        return Jsons.createObjectBuilder().add("valid", registration.tokenValid(token)).build();
    }
}
