package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.account.AccountService;
import org.turnkey.account.PasswordHasher;
import org.turnkey.account.UserIds;
import org.turnkey.api.ErrorCode;
import org.turnkey.registration.AccountCreation;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.token.IssuedTokens;

/**
 * Synapse's shared-secret registration, so that {@code register_new_matrix_user}-style scripts
 * can create accounts, the first admin among them, without any account existing. Enabled only
 * while {@code turnkey.registration.shared-secret} is set. Checks run in Synapse's order: the
 * nonce is spent before the MAC is looked at, so each guess costs a fresh nonce.
 */
@ApplicationScoped
public class SharedSecretRegistration {

    @Inject
    TurnkeyConfig config;

    @Inject
    RegistrationNonces nonces;

    @Inject
    PasswordHasher hasher;

    @Inject
    AdminService accounts;

    @Inject
    AccountCreation registrations;

    @Inject
    SecurityEvents events;

    public String nonce() {
        secret();
        return nonces.issue();
    }

    public IssuedTokens register(JsonBody body) {
        String secret = secret();
        String nonce = body.requireString("nonce");
        if (!nonces.consume(nonce)) {
            throw new MatrixException(400, ErrorCode.M_UNKNOWN, "Unrecognised nonce");
        }
        String username = body.requireString("username");
        String password = body.requireString("password");
        boolean admin = body.optionalBoolean("admin", false);
        String mac = body.requireString("mac");
        if (body.has("user_type")) {
            throw MatrixException.invalidParam("user_type is not supported");
        }
        if (username.indexOf('\0') >= 0 || password.indexOf('\0') >= 0) {
            throw MatrixException.invalidParam("username and password must not contain NUL");
        }
        AccountService.checkNewPassword(password);
        if (!SharedSecretMac.matches(secret, nonce, username, password, admin, mac)) {
            events.sharedSecretRejected(username, "hmac_incorrect");
            throw MatrixException.forbidden("HMAC incorrect");
        }
        String userId = UserIds.forRegistration(username, config.serverName());
        registrations.checkAvailable(userId);
        IssuedTokens tokens = registrations.unlessTaken(userId,
                () -> accounts.createSignedIn(userId, hasher.hash(password), admin));
        events.sharedSecretRegistered(userId, tokens.deviceId(), admin);
        return tokens;
    }

    private String secret() {
        return config.registrationSharedSecret().orElseThrow(() ->
                new MatrixException(400, ErrorCode.M_UNKNOWN, "Shared secret registration is not enabled"));
    }
}
