package org.turnkey.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.uia.UiaService;

import java.util.List;

@ApplicationScoped
@Path("/_matrix/client/v3/account")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    static final String PASSWORD_OPERATION = "POST /_matrix/client/v3/account/password";
    static final String DEACTIVATE_OPERATION = "POST /_matrix/client/v3/account/deactivate";
    private static final List<List<String>> FLOWS = List.of(List.of(UiaService.PASSWORD));

    @Inject
    Requester requester;

    @Inject
    UiaService uia;

    @Inject
    AccountService accounts;

    @Inject
    PasswordHasher hasher;

    @Inject
    SecurityEvents events;

    /**
     * POST /_matrix/client/v3/account/password — changes the password after user-interactive auth.
     * <ul>
     *   <li>needs an access token (no email/phone reset flows here)</li>
     *   <li>{@code new_password} required; UIA flow {@code m.login.password} with the old password</li>
     *   <li>the old password stops working at once</li>
     *   <li>{@code logout_devices} (default true): every other device is deleted with its tokens;
     *       the requesting token and device are kept. With false, other devices keep working.</li>
     * </ul>
     */
    @POST
    @Path("/password")
    @Authenticated
    public JsonObject changePassword(JsonObject body) {
        JsonBody parsed = JsonBody.of(body);
        String newPassword = parsed.requireString("new_password");
        AccountService.checkNewPassword(newPassword);
        boolean logoutDevices = parsed.optionalBoolean("logout_devices", true);
        uia.require(PASSWORD_OPERATION, requester.userId(), parsed, FLOWS);
        String hash = hasher.hash(newPassword);
        int loggedOut = accounts.changePassword(requester.userId(), hash, requester.deviceId(), logoutDevices);
        events.passwordChanged(requester.userId(), requester.deviceId(), loggedOut);
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /**
     * POST /_matrix/client/v3/account/deactivate — deactivates the account after user-interactive auth.
     * <ul>
     *   <li>needs an access token; UIA flow {@code m.login.password}</li>
     *   <li>every device, access, refresh and login token is deleted</li>
     *   <li>the account can never log in again (403 {@code M_USER_DEACTIVATED}) and its user ID is
     *       never registered again</li>
     *   <li>{@code erase} and {@code id_server} are accepted; Turnkey holds no content or 3PIDs,
     *       so {@code id_server_unbind_result} is {@code success}</li>
     * </ul>
     */
    @POST
    @Path("/deactivate")
    @Authenticated
    public JsonObject deactivate(JsonObject body) {
        JsonBody parsed = JsonBody.of(body);
        boolean erase = parsed.optionalBoolean("erase", false);
        parsed.optionalString("id_server");
        uia.require(DEACTIVATE_OPERATION, requester.userId(), parsed, FLOWS);
        accounts.deactivate(requester.userId());
        events.deactivated(requester.userId(), erase);
        return Jsons.createObjectBuilder().add("id_server_unbind_result", "success").build();
    }
}
