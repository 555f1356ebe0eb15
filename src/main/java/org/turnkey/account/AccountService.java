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
     * Whether {@code password} is the account's. The one place a password is checked (login and
     * the user-interactive password stage both come here), so it is also the one place a hash
     * made with weaker parameters than {@code turnkey.password.argon2.*} is upgraded: after a
     * successful check, at the cost of one more hash for this login only. The new hash is made
     * before the row is locked, so no row lock is held across Argon2id, and the row is updated
     * only if it still holds the hash just checked (a password change meanwhile wins). Not
     * itself transactional: inside user-interactive auth's transaction the update joins it;
     * login has none around the check, so there the update is a short one of its own.
     */
    public boolean checkPassword(User user, String password) {
        String stored = user.passwordHash();
        if (!hasher.verify(password, stored)) {
            return false;
        }
        if (hasher.needsRehash(stored)) {
            users.replaceHash(user.userId(), stored, hasher.hash(password));
        }
        return true;
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
