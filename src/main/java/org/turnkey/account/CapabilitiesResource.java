package org.turnkey.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.email.EmailValidations;

@ApplicationScoped
@Path("/_matrix/client/v3/capabilities")
@Produces(MediaType.APPLICATION_JSON)
public class CapabilitiesResource {

    @Inject
    TurnkeyConfig config;

    @Inject
    Requester requester;

    @Inject
    UserStore users;

    @Inject
    EmailValidations emails;

    /**
     * GET /_matrix/client/v3/capabilities — what the requester can do here.
     * <ul>
     *   <li>{@code m.change_password}: enabled</li>
     *   <li>{@code m.get_login_token}: as {@code turnkey.login-token.enabled}</li>
     *   <li>{@code m.3pid_changes}: when mail is on, except for OAuth 2.0 sessions</li>
     *   <li>{@code m.account_moderation}: {@code lock} for admins; omitted for others, as the spec asks</li>
     * </ul>
     */
    @GET
    @Authenticated
    public JsonObject capabilities() {
        JsonObjectBuilder capabilities = Jsons.createObjectBuilder()
                .add("m.change_password", Jsons.createObjectBuilder().add("enabled", true))
                .add("m.get_login_token", Jsons.createObjectBuilder().add("enabled", config.loginTokenEnabled()))
                // Adding an address needs user-interactive auth, which an OAuth 2.0 session cannot do.
                .add("m.3pid_changes", Jsons.createObjectBuilder().add("enabled", emails.available() && !requester.oauth()));
        if (users.find(requester.userId()).map(User::admin).orElse(false)) {
            capabilities.add("m.account_moderation", Jsons.createObjectBuilder().add("lock", true));
        }
        return Jsons.createObjectBuilder().add("capabilities", capabilities).build();
    }
}
