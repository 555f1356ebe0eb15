package org.turnkey.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.JsonBody;
import org.turnkey.token.TokenResponses;

@ApplicationScoped
@Path("/_matrix/client/v3/login")
@Produces(MediaType.APPLICATION_JSON)
public class LoginResource {

    @Inject
    LoginService logins;

    /** GET /_matrix/client/v3/login — the login types this server accepts. */
    @GET
    public JsonObject flows() {
        return Json.createObjectBuilder()
                .add("flows", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("type", LoginService.PASSWORD)))
                .build();
    }

    /**
     * POST /_matrix/client/v3/login — password login.
     * <ul>
     *   <li>a known {@code device_id} of the user: keeps the device, revokes its old tokens</li>
     *   <li>{@code refresh_token: true}: also a refresh token and {@code expires_in_ms}</li>
     * </ul>
     */
    @POST
    public JsonObject login(JsonObject body) {
        return TokenResponses.login(logins.login(JsonBody.of(body)));
    }
}
