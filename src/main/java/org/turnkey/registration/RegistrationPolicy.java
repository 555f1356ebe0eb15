package org.turnkey.registration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.account.UserIds;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.device.DeviceService;
import org.turnkey.email.MailSettings;
import org.turnkey.ratelimit.ClientAddress;
import org.turnkey.ratelimit.RateLimits;
import org.turnkey.token.IssuedTokens;
import org.turnkey.token.Tokens;
import org.turnkey.uia.UiaService;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The registration policy (spec "Account registration"): who may register, which name, which auth. */
@ApplicationScoped
public class RegistrationPolicy {

    static final String OPERATION = "POST /_matrix/client/v3/register";

    public record Result(String userId, IssuedTokens tokens) {
    }

    @Inject
    TurnkeyConfig config;

    @Inject
    UiaService uia;

    @Inject
    AccountCreation accounts;

    @Inject
    SecurityEvents events;

    @Inject
    RateLimits limits;

    @Inject
    ClientAddress client;

    @Inject
    RegistrationTokens registrationTokens;

    @Inject
    MailSettings mail;

    public void requireEnabled() {
        if (!config.registrationEnabled()) {
            throw MatrixException.forbidden("Registration is disabled");
        }
    }

    public Result register(String kind, JsonBody body) {
        requireEnabled();
        if (kind != null && !"user".equals(kind)) {
            throw MatrixException.forbidden("guest".equals(kind) ? "Guest access is not enabled" : "Unknown account kind");
        }
        Optional<String> username = body.optionalString("username");
        Optional<String> password = body.optionalString("password");
        Optional<String> deviceId = body.optionalString("device_id");
        deviceId.ifPresent(DeviceService::checkDeviceId);
        Optional<String> displayName = body.optionalString("initial_device_display_name");
        displayName.ifPresent(DeviceService::checkDisplayName);
        boolean inhibitLogin = body.optionalBoolean("inhibit_login", false);
        boolean refreshable = body.optionalBoolean("refresh_token", false);
        String userId = admissible(username, password);

        UiaService.Completed done = uia.require(OPERATION, null, body, flows());

        IssuedTokens tokens = accounts.unlessTaken(userId, () -> accounts.create(userId, password.orElse(null),
                inhibitLogin, deviceId.orElse(null), displayName.orElse(null), refreshable, done.emailSid()));
        limits.record(RateLimits.Kind.REGISTRATION, client.get());
        events.registered(userId);
        return new Result(userId, tokens);
    }

    /**
     * The checks every registration passes before its auth, whichever way it comes: the
     * password's length, the user ID's syntax (generated if absent) and availability, and the
     * registration rate limit. Returns the user ID.
     */
    String admissible(Optional<String> username, Optional<String> password) {
        if (password.isPresent() && password.get().length() > 512) {
            throw MatrixException.invalidParam("Password is too long");
        }
        String userId = username.map(name -> UserIds.forRegistration(name, config.serverName()))
                .orElseGet(this::generatedUserId);
        accounts.checkAvailable(userId);
        // Synapse rc_registration: checked on every attempt, counted once an account exists.
        limits.check(RateLimits.Kind.REGISTRATION, client.get());
        return userId;
    }

    /**
     * {@code m.login.registration_token} when {@code turnkey.registration.requires-token}, else
     * {@code m.login.dummy}. With mail on, a flow that ends in {@code m.login.email.identity} is
     * offered too, and is the only one with {@code turnkey.registration.requires-email}; the
     * validated address becomes the new account's.
     */
    List<List<String>> flows() {
        boolean token = config.registrationRequiresToken();
        List<String> withEmail = token ? List.of(UiaService.REGISTRATION_TOKEN, UiaService.EMAIL) : List.of(UiaService.EMAIL);
        List<String> plain = List.of(token ? UiaService.REGISTRATION_TOKEN : UiaService.DUMMY);
        if (!mail.enabled()) {
            return List.of(plain);
        }
        return mail.registrationRequiresEmail() ? List.of(withEmail) : List.of(plain, withEmail);
    }

    /**
     * Spec {@code GET /register/m.login.registration_token/validity}: 403 when registration is
     * off, rate limited per client address, false for unknown, used-up or expired tokens.
     */
    public boolean tokenValid(String token) {
        if (!config.registrationEnabled()) {
            throw MatrixException.forbidden("Registration is not enabled on this homeserver.");
        }
        if (token == null) {
            throw MatrixException.missingParam("token");
        }
        limits.acquire(RateLimits.Kind.REGISTRATION_TOKEN_VALIDITY, client.get());
        return registrationTokens.valid(token);
    }

    public void checkAvailable(String username) {
        if (username == null || username.isEmpty()) {
            throw MatrixException.missingParam("username");
        }
        accounts.checkAvailable(UserIds.forRegistration(username, config.serverName()));
    }

    private String generatedUserId() {
        return UserIds.forRegistration("u" + Tokens.randomString(9).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", ""), config.serverName());
    }
}
