package org.turnkey.registration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.token.TokenResponses;

@ApplicationScoped
@Path("/_matrix/client/v3/register")
@Produces(MediaType.APPLICATION_JSON)
public class RegistrationResource {

    @Inject
    RegistrationPolicy registration;

    /**
     * POST /_matrix/client/v3/register — creates an account after user-interactive auth.
     * <ul>
     *   <li>refused with 403 when registration is disabled or {@code kind=guest}</li>
     *   <li>name checked (400 {@code M_INVALID_USERNAME}, {@code M_USER_IN_USE}) before auth</li>
     *   <li>signs in unless {@code inhibit_login}</li>
     * </ul>
     */
    @POST
    public JsonObject register(@QueryParam("kind") String kind, JsonObject body) {
        RegistrationPolicy.Result result = registration.register(kind, JsonBody.of(body));
        if (result.tokens() == null) {
            return Jsons.createObjectBuilder().add("user_id", result.userId()).build();
        }
        return TokenResponses.login(result.tokens());
    }

    /** GET /_matrix/client/v3/register/available — whether a name could be registered. */
    @GET
    @Path("/available")
    public JsonObject available(@QueryParam("username") String username) {
        registration.checkAvailable(username);
        return Jsons.createObjectBuilder().add("available", true).build();
    }
}
