package org.turnkey.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.account.PasswordHasher;
import org.turnkey.account.User;
import org.turnkey.account.UserIds;
import org.turnkey.account.UserStore;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.device.DeviceService;
import org.turnkey.token.IssuedTokens;
import org.turnkey.token.SoftLogoutPolicy;

import java.util.Optional;

/**
 * {@code m.login.password} (spec "Login", "Identifier types"). An unknown user and a wrong
 * password look the same: 403 {@code M_FORBIDDEN} after the same Argon2id work. A locked account
 * with the right password gets 401 {@code M_USER_LOCKED} (spec "Account locking").
 */
@ApplicationScoped
public class LoginService {

    public static final String PASSWORD = "m.login.password";

    @Inject
    TurnkeyConfig config;

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Inject
    DeviceService devices;

    @Inject
    SecurityEvents events;

    @Inject
    SoftLogoutPolicy softLogout;

    public IssuedTokens login(JsonBody body) {
        String type = body.requireString("type");
        Optional<String> deviceId = body.optionalString("device_id");
        deviceId.ifPresent(DeviceService::checkDeviceId);
        Optional<String> displayName = body.optionalString("initial_device_display_name");
        displayName.ifPresent(DeviceService::checkDisplayName);
        boolean refreshable = body.optionalBoolean("refresh_token", false);
        if (!PASSWORD.equals(type)) {
            throw new MatrixException(400, ErrorCode.M_UNKNOWN, "Unsupported login type: " + type);
        }
        String userId = checkPassword(body);
        IssuedTokens issued = devices.signIn(userId, deviceId.orElse(null), displayName.orElse(null), refreshable);
        events.loginSucceeded(userId, issued.deviceId());
        return issued;
    }

    /** The user a password body authenticates, or 403; shared with user-interactive auth. */
    public String checkPassword(JsonBody body) {
        String named = identifiedUser(body);
        String password = body.requireString("password");
        Optional<User> user = UserIds.forLogin(named, config.serverName()).flatMap(users::find);
        if (user.isEmpty()) {
            hasher.verifyDummy(password);
            events.loginFailed(named, "unknown_user");
            throw MatrixException.forbidden("Invalid username or password");
        }
        if (!hasher.verify(password, user.get().passwordHash())) {
            events.loginFailed(user.get().userId(), user.get().deactivated() ? "deactivated" : "wrong_password");
            throw MatrixException.forbidden("Invalid username or password");
        }
        if (user.get().deactivated()) {
            throw new MatrixException(403, ErrorCode.M_USER_DEACTIVATED, "This account has been deactivated");
        }
        if (user.get().locked()) {
            events.loginFailed(user.get().userId(), "locked");
            throw softLogout.locked();
        }
        return user.get().userId();
    }

    private static String identifiedUser(JsonBody body) {
        Optional<JsonBody> identifier = body.optionalObject("identifier");
        if (identifier.isPresent()) {
            String type = identifier.get().requireString("type");
            if (!"m.id.user".equals(type)) {
                throw new MatrixException(400, ErrorCode.M_UNKNOWN, "Unsupported identifier type: " + type);
            }
            return identifier.get().requireString("user");
        }
        return body.optionalString("user").orElseThrow(() -> MatrixException.missingParam("identifier"));
    }
}
