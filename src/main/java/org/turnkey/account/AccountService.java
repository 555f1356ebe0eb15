package org.turnkey.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.api.MatrixException;
import org.turnkey.device.Device;
import org.turnkey.device.DeviceService;
import org.turnkey.login.LoginTokens;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Password checks (with hash upgrades), password change and deactivation (spec "Account
 * management"). A change or deactivation is one transaction: the account row is locked,
 * changed, and the devices to log out deleted through {@link DeviceService#delete} (which also
 * evicts their cached access tokens).
 */
@ApplicationScoped
public class AccountService {

    public static final int MAX_PASSWORD_LENGTH = 512;

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    DeviceService devices;

    @Inject
    LoginTokens loginTokens;

    @Inject
    PasswordHasher hasher;

    @Inject
    UserStore users;

    public static void checkNewPassword(String password) {
        if (password.isEmpty()) {
            throw MatrixException.invalidParam("The new password must not be empty");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw MatrixException.invalidParam("Password is too long");
        }
    }

    /**
     * A password that matched the account's hash. {@code upgradedHash} is the same password hashed
     * with the configured {@code turnkey.password.argon2.*} parameters when the stored hash used
     * weaker ones, else null.
     */
    public record VerifiedPassword(String userId, String checkedHash, String upgradedHash) {
    }

    /**
     * Whether {@code password} is the account's. The one place a password is checked (login, the
     * user-interactive password stage and the sign-in page all come here), so it is also the one
     * place that decides a hash needs upgrading: after a successful check, at the cost of one more
     * hash for this login only. Both hashes are computed here, outside any transaction, so no row
     * lock or connection is held across Argon2id; {@link #upgradeHashThen} stores the upgrade.
     */
    public Optional<VerifiedPassword> verifyPassword(User user, String password) {
        String stored = user.passwordHash();
        if (!hasher.verify(password, stored)) {
            return Optional.empty();
        }
        String upgraded = hasher.needsRehash(stored) ? hasher.hash(password) : null;
        return Optional.of(new VerifiedPassword(user.userId(), stored, upgraded));
    }

    /**
     * Stores a verified password's upgraded hash, if any, and runs {@code signIn} in the same
     * transaction: the upgrade commits exactly when the sign-in it belongs to does. The account
     * row is locked before whatever {@code signIn} locks (devices, tokens), the lock order of
     * every writer. The row is updated only if it still holds the hash that was checked (a
     * password change or deactivation meanwhile wins).
     */
    @Transactional
    public <T> T upgradeHashThen(VerifiedPassword password, Supplier<T> signIn) {
        if (password.upgradedHash() != null) {
            users.replaceHash(password.userId(), password.checkedHash(), password.upgradedHash());
        }
        return signIn.get();
    }

    /**
     * Stores a new password hash. With {@code logoutDevices}, every device but {@code keepDeviceId}
     * is deleted with its tokens; returns how many were.
     */
    @Transactional
    public int changePassword(String userId, String newHash, String keepDeviceId, boolean logoutDevices) {
        User user = lockedUser(userId);
        user.passwordHash(newHash);
        if (!logoutDevices) {
            return 0;
        }
        List<String> others = devices.all(userId).stream().map(Device::deviceId)
                .filter(id -> !Objects.equals(id, keepDeviceId)).toList();
        return devices.delete(userId, others);
    }

    /**
     * Marks the account deactivated for ever (the row stays, so the user ID is never reused),
     * wipes the password and deletes every device, token and login token.
     */
    @Transactional
    public void deactivate(String userId) {
        User user = lockedUser(userId);
        user.deactivate();
        // Its email addresses are released (Synapse does the same), so they can be used again.
        em.createQuery("DELETE FROM Threepid t WHERE t.userId = :user").setParameter("user", userId).executeUpdate();
        loginTokens.revokeAll(userId);
        devices.deleteAll(userId);
    }

    private User lockedUser(String userId) {
        User user = em.find(User.class, userId, LockModeType.PESSIMISTIC_WRITE);
        if (user == null || user.deactivated()) {
            throw MatrixException.userDeactivated();
        }
        return user;
    }
}
