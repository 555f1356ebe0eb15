package org.turnkey.registration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.email.EmailValidations;
import org.turnkey.account.PasswordHasher;
import org.turnkey.account.User;
import org.turnkey.account.UserStore;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.MatrixException;
import org.turnkey.device.DeviceService;
import org.turnkey.token.IssuedTokens;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Creates accounts, for every way in ({@link RegistrationPolicy} behind {@code POST /register}
 * and the OAuth registration page, shared-secret registration). The user row, its device and
 * its tokens are one transaction, so a client
 * either gets a working login or no account at all; a concurrent registration of the same name
 * loses on the primary key and is answered {@code M_USER_IN_USE}.
 */
@ApplicationScoped
public class AccountCreation {

    @Inject
    UserStore users;

    @Inject
    DeviceService devices;

    @Inject
    Clock clock;

    @Inject
    PasswordHasher hasher;

    @Inject
    EmailValidations emails;

    /**
     * 400 {@code M_USER_IN_USE} (spec "Account registration"): the one answer to a user ID that
     * exists, deactivated or not, since a deactivated ID is never given out again.
     */
    public static MatrixException userIdTaken() {
        return new MatrixException(400, ErrorCode.M_USER_IN_USE, "User ID already taken");
    }

    public void checkAvailable(String userId) {
        if (users.exists(userId)) {
            throw userIdTaken();
        }
    }

    /**
     * Runs an account creation (its own transaction). If it fails and the ID exists now, a
     * concurrent registration won the primary key: that is {@link #userIdTaken()}, not a fault.
     */
    public <T> T unlessTaken(String userId, Supplier<T> creation) {
        try {
            return creation.get();
        } catch (RuntimeException e) {
            if (users.exists(userId)) {
                throw userIdTaken();
            }
            throw e;
        }
    }

    /**
     * Creates an account whose password was hashed earlier (a registration page's form that
     * waited for its email address, {@link EmailRegistrations}), with the address of its
     * validated email session (used up in the same transaction); no device, no tokens.
     */
    @Transactional
    public void createWithPasswordHash(String userId, String passwordHash, String emailSid) {
        users.persist(new User(userId, passwordHash, clock.millis()));
        emails.registerAddress(userId, emailSid);
    }

    /**
     * Returns the new user's tokens, or null with {@code inhibit_login}.
     *
     * @param emailSid the validated email session the registration's auth completed, whose
     *                 address becomes the account's (used up in the same transaction), or null
     */
    @Transactional
    public IssuedTokens create(String userId, String password, boolean inhibitLogin, String deviceId,
                               String displayName, boolean refreshable, String emailSid) {
        users.persist(new User(userId, password == null ? null : hasher.hash(password), clock.millis()));
        if (emailSid != null) {
            emails.registerAddress(userId, emailSid);
        }
        if (inhibitLogin) {
            return null;
        }
        return devices.signIn(userId, deviceId, displayName, refreshable);
    }
}
