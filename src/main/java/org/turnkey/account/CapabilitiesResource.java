package org.turnkey.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.auth.Authenticated;
import org.turnkey.config.TurnkeyConfig;

@ApplicationScoped
@Path("/_matrix/client/v3/capabilities")
@Produces(MediaType.APPLICATION_JSON)
public class CapabilitiesResource {

    @Inject
    TurnkeyConfig config;

    /**
     * GET /_matrix/client/v3/capabilities — what the requester can do here.
     * <ul>
     *   <li>{@code m.change_password}: enabled</li>
     *   <li>{@code m.get_login_token}: as {@code turnkey.login-token.enabled}</li>
     * </ul>
     */
    @GET
    @Authenticated
    public JsonObject capabilities() {
        return Json.createObjectBuilder().add("capabilities", Json.createObjectBuilder()
                .add("m.change_password", Json.createObjectBuilder().add("enabled", true))
                .add("m.get_login_token", Json.createObjectBuilder().add("enabled", config.loginTokenEnabled())))
                .build();
    }
}
