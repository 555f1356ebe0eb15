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
import org.turnkey.api.MatrixException;
import org.turnkey.email.EmailValidation;
import org.turnkey.email.EmailValidations;
import org.turnkey.email.PasswordReset;
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
    private static final List<List<String>> PASSWORD_OR_EMAIL = List.of(List.of(UiaService.PASSWORD),
            List.of(UiaService.EMAIL));
    private static final List<List<String>> EMAIL_ONLY = List.of(List.of(UiaService.EMAIL));

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

    @Inject
    EmailValidations emails;

    @Inject
    PasswordReset reset;

    /**
     * POST /_matrix/client/v3/account/password — changes the password after user-interactive auth.
     * <ul>
     *   <li>with an access token: UIA flow {@code m.login.password} with the old password, or
     *       (mail on) {@code m.login.email.identity} with one of the account's addresses</li>
     *   <li>without one (a forgotten password; mail on): the one flow
     *       {@code m.login.email.identity}, a session from
     *       {@code /account/password/email/requestToken}; mail off: 401 {@code M_MISSING_TOKEN} as before</li>
     *   <li>{@code new_password} required</li>
     *   <li>the old password stops working at once</li>
     *   <li>{@code logout_devices} (default true): every other device is deleted with its tokens;
     *       the requesting token and device are kept. With false, other devices keep working.</li>
     * </ul>
     */
    @POST
    @Path("/password")
    @Authenticated(optional = true)
    public JsonObject changePassword(JsonObject body) {
        boolean signedIn = requester.present();
        if (!signedIn && !emails.available()) {
            throw MatrixException.missingToken();
        }
        JsonBody parsed = JsonBody.of(body);
        String newPassword = parsed.requireString("new_password");
        AccountService.checkNewPassword(newPassword);
        boolean logoutDevices = parsed.optionalBoolean("logout_devices", true);
        String userId = signedIn ? requester.userId() : null;
        String deviceId = signedIn ? requester.deviceId() : null;
        List<List<String>> flows = !signedIn ? EMAIL_ONLY : emails.available() ? PASSWORD_OR_EMAIL : FLOWS;
        UiaService.Completed done = uia.require(PASSWORD_OPERATION, userId, parsed, flows);
        String hash = hasher.hash(newPassword);
        int loggedOut;
        if (done.emailSid() != null) {
            PasswordReset.Done result = reset.reset(done.emailSid(), userId, deviceId, hash, logoutDevices);
            userId = result.userId();
            loggedOut = result.loggedOut();
        } else {
            loggedOut = accounts.changePassword(userId, hash, deviceId, logoutDevices);
        }
        events.passwordChanged(userId, deviceId, loggedOut);
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /**
     * POST /_matrix/client/v3/account/password/email/requestToken — mails a password reset link
     * to an address of an account; an unknown address gets the same answer (and a notice by mail)
     * unless the operator reveals them ({@code EmailValidations}).
     */
    @POST
    @Path("/password/email/requestToken")
    public JsonObject requestPasswordEmailToken(JsonObject body) {
        return emails.request(EmailValidation.Purpose.RESET, JsonBody.of(body));
    }

    /** POST /_matrix/client/v3/account/password/msisdn/requestToken — no phone numbers here. */
    @POST
    @Path("/password/msisdn/requestToken")
    public JsonObject requestPasswordMsisdnToken(JsonObject body) {
        throw EmailValidations.mediumNotSupported("Password reset by phone");
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
