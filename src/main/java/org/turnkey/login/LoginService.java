package org.turnkey.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.account.AccountService;
import org.turnkey.account.AccountService.VerifiedPassword;
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
import org.turnkey.email.Emails;
import org.turnkey.email.Threepids;
import org.turnkey.ratelimit.ClientAddress;
import org.turnkey.ratelimit.RateLimits;
import org.turnkey.token.IssuedTokens;
import org.turnkey.token.SoftLogoutPolicy;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code m.login.password} (spec "Login", "Identifier types"). An unknown user and a wrong
 * password look the same: 403 {@code M_FORBIDDEN} after the same Argon2id work. A locked account
 * with the right password gets 401 {@code M_USER_LOCKED} (spec "Account locking").
 */
@ApplicationScoped
public class LoginService {

    public static final String PASSWORD = "m.login.password";
    public static final String TOKEN = "m.login.token";

    @Inject
    TurnkeyConfig config;

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Inject
    AccountService accounts;

    @Inject
    DeviceService devices;

    @Inject
    SecurityEvents events;

    @Inject
    RateLimits limits;

    @Inject
    ClientAddress client;

    @Inject
    LoginTokens loginTokens;

    @Inject
    SoftLogoutPolicy softLogout;

    @Inject
    Threepids threepids;

    public IssuedTokens login(JsonBody body) {
        String type = body.requireString("type");
        Optional<String> deviceId = body.optionalString("device_id");
        deviceId.ifPresent(DeviceService::checkDeviceId);
        Optional<String> displayName = body.optionalString("initial_device_display_name");
        displayName.ifPresent(DeviceService::checkDisplayName);
        boolean refreshable = body.optionalBoolean("refresh_token", false);
        // Spec "Rate limiting" (Synapse rc_login.address): every attempt counts, per client address.
        limits.acquire(RateLimits.Kind.LOGIN_ADDRESS, client.get());
        String userId;
        VerifiedPassword password = null;
        if (PASSWORD.equals(type)) {
            password = verifyPassword(body);
            userId = password.userId();
        } else if (TOKEN.equals(type) && config.loginTokenEnabled()) {
            userId = checkLoginToken(body.requireString("token"));
        } else {
            throw new MatrixException(400, ErrorCode.M_UNKNOWN, "Unsupported login type: " + type);
        }
        // Synapse rc_login.account: successful logins per account.
        limits.acquire(RateLimits.Kind.LOGIN_ACCOUNT, userId);
        IssuedTokens issued = password == null
                ? devices.signIn(userId, deviceId.orElse(null), displayName.orElse(null), refreshable)
                : accounts.upgradeHashThen(password,
                        () -> devices.signIn(userId, deviceId.orElse(null), displayName.orElse(null), refreshable));
        events.loginSucceeded(userId, issued.deviceId());
        return issued;
    }

    /**
     * The password check of the OAuth sign-in page ({@code oauth.web.LoginServlet}): the same
     * limits around the check as {@code POST /login}, so the page is no cheaper way to guess
     * passwords than the API. No device is created: {@code startSession} starts the browser's
     * session, in the transaction that also stores an upgraded hash.
     */
    public String signInBrowser(JsonBody body, Consumer<String> startSession) {
        limits.acquire(RateLimits.Kind.LOGIN_ADDRESS, client.get());
        VerifiedPassword password = verifyPassword(body);
        String userId = password.userId();
        limits.acquire(RateLimits.Kind.LOGIN_ACCOUNT, userId);
        accounts.upgradeHashThen(password, () -> {
            startSession.accept(userId);
            return null;
        });
        events.loginSucceeded(userId, null);
        return userId;
    }

    /**
     * The user a password body authenticates, or 403, for user-interactive auth: called inside
     * its transaction, which an upgraded hash joins. See {@link #verifyPassword}.
     */
    public String checkPassword(JsonBody body) {
        VerifiedPassword password = verifyPassword(body);
        return accounts.upgradeHashThen(password, password::userId);
    }

    /**
     * The user a password body authenticates, or 403; shared with user-interactive auth. Wrong
     * passwords count toward {@code turnkey.ratelimit.login.failed-attempts} for the named
     * account, and once that is exhausted even the right password is refused with 429 until
     * the advertised wait is over. A deactivated account is 403 {@code M_USER_DEACTIVATED}
     * whatever the password (its hash is wiped), after the same work as a real check. A locked
     * account with the right password is 401 {@code M_USER_LOCKED} (spec "Account locking").
     */
    private VerifiedPassword verifyPassword(JsonBody body) {
        String named = identifiedUser(body);
        String password = body.requireString("password");
        Optional<String> userId = UserIds.forLogin(named, config.serverName());
        String limitKey = userId.orElse(named);
        limits.check(RateLimits.Kind.LOGIN_FAILED, limitKey);
        Optional<User> user = userId.flatMap(users::find);
        if (user.isEmpty()) {
            hasher.verifyDummy(password);
            limits.record(RateLimits.Kind.LOGIN_FAILED, limitKey);
            events.loginFailed(named, "unknown_user");
            throw MatrixException.forbidden("Invalid username or password");
        }
        if (user.get().deactivated()) {
            hasher.verifyDummy(password);
            events.loginFailed(user.get().userId(), "deactivated");
            throw MatrixException.userDeactivated();
        }
        Optional<VerifiedPassword> verified = accounts.verifyPassword(user.get(), password);
        if (verified.isEmpty()) {
            limits.record(RateLimits.Kind.LOGIN_FAILED, limitKey);
            events.loginFailed(user.get().userId(), "wrong_password");
            throw MatrixException.forbidden("Invalid username or password");
        }
        if (user.get().locked()) {
            events.loginFailed(user.get().userId(), "locked");
            throw softLogout.locked();
        }
        return verified.get();
    }

    /** The user an {@code m.login.token} logs in (consuming it), or 403. */
    private String checkLoginToken(String token) {
        String userId;
        try {
            userId = loginTokens.redeem(token);
        } catch (MatrixException e) {
            events.loginFailed(null, "bad_login_token");
            throw e;
        }
        Optional<User> user = users.find(userId);
        if (user.map(User::deactivated).orElse(true)) {
            events.loginFailed(userId, "deactivated");
            throw MatrixException.userDeactivated();
        }
        if (user.get().locked()) {
            events.loginFailed(userId, "locked");
            throw softLogout.locked();
        }
        return userId;
    }

    /**
     * The user a login names: {@code m.id.user}, or {@code m.id.thirdparty} with
     * {@code medium: email} (spec "Identifier types"), which names the account that has the
     * validated address. An address no account has is looked up as an unknown user (the same
     * Argon2id work, the same 403, counted against the address by the failed-attempts limit).
     */
    private String identifiedUser(JsonBody body) {
        Optional<JsonBody> identifier = body.optionalObject("identifier");
        if (identifier.isPresent()) {
            String type = identifier.get().requireString("type");
            if ("m.id.thirdparty".equals(type)) {
                return byAddress(identifier.get().requireString("medium"), identifier.get().requireString("address"));
            }
            if (!"m.id.user".equals(type)) {
                throw new MatrixException(400, ErrorCode.M_UNKNOWN, "Unsupported identifier type: " + type);
            }
            return identifier.get().requireString("user");
        }
        Optional<String> medium = body.optionalString("medium");
        if (medium.isPresent()) {
            return byAddress(medium.get(), body.requireString("address"));
        }
        return body.optionalString("user").orElseThrow(() -> MatrixException.missingParam("identifier"));
    }

    private String byAddress(String medium, String address) {
        if (!Emails.MEDIUM.equals(medium)) {
            return "thirdparty:" + medium + ":" + address;
        }
        String canonical;
        try {
            canonical = Emails.canonical(address);
        } catch (MatrixException invalid) {
            return "thirdparty:email:" + address;
        }
        return threepids.owner(canonical).orElse("thirdparty:email:" + canonical);
    }
}
