package org.turnkey.oauth.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.account.AccountService;
import org.turnkey.account.PasswordHasher;
import org.turnkey.account.User;
import org.turnkey.account.UserStore;
import org.turnkey.api.JsonBody;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.device.Device;
import org.turnkey.device.DeviceActivity;
import org.turnkey.device.DeviceService;
import org.turnkey.login.LoginService;
import org.turnkey.oauth.OAuthSettings;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What the account pages change, each through the service the Client-Server API uses for the
 * same change: signing a device out is {@link DeviceService#delete} (tokens gone from the
 * database and from every cluster member's cache), a password change and deactivation are
 * {@link AccountService}'s, a password check is the sign-in page's (same rate limits). Only the
 * cross-signing reset approval is the account pages' own.
 */
@ApplicationScoped
public class AccountManagement {

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    DeviceService devices;

    @Inject
    DeviceActivity activity;

    @Inject
    AccountService accounts;

    @Inject
    PasswordHasher hasher;

    @Inject
    LoginService logins;

    @Inject
    UserStore users;

    @Inject
    SecurityEvents events;

    @Inject
    OAuthSettings settings;

    @Inject
    Clock clock;

    public Optional<User> user(String userId) {
        return users.find(userId);
    }

    /** The devices the user sees ({@code GET /devices}'s list). */
    public List<Device> devices(String userId) {
        return devices.list(userId);
    }

    /** One of the user's own listed devices; empty for another user's, an admin-issued or an unknown one. */
    public Optional<Device> device(String userId, String deviceId) {
        if (deviceId == null || deviceId.isEmpty() || deviceId.length() > DeviceService.MAX_DEVICE_ID_LENGTH) {
            return Optional.empty();
        }
        activity.writePending();
        return Optional.ofNullable(em.find(Device.class, new Device.Key(userId, deviceId))).filter(d -> !d.hidden());
    }

    /** Signs a device out as {@code DELETE /devices/{deviceId}} does; false if the user has no such device. */
    public boolean signOut(String userId, String deviceId) {
        if (device(userId, deviceId).isEmpty()) {
            return false;
        }
        int deleted = devices.delete(userId, List.of(deviceId));
        events.devicesDeleted(userId, null, deleted);
        return deleted > 0;
    }

    /**
     * Checks the user's password as the sign-in page does; throws its {@code MatrixException}
     * (403 wrong, 429 rate-limited, 401 locked) otherwise.
     */
    public void checkPassword(String userId, String password) {
        // The sign-in page's check; nothing to start, the browser is signed in already.
        logins.signInBrowser(JsonBody.of(Json.createObjectBuilder()
                .add("type", LoginService.PASSWORD)
                .add("identifier", Json.createObjectBuilder().add("type", "m.id.user").add("user", userId))
                .add("password", password).build()), user -> { });
    }

    /**
     * Changes the password as {@code POST /account/password} does; with {@code logoutDevices}
     * every device is signed out (a browser is no device, so none is kept). Returns how many were.
     */
    public int changePassword(String userId, String newPassword, boolean logoutDevices) {
        AccountService.checkNewPassword(newPassword);
        int loggedOut = accounts.changePassword(userId, hasher.hash(newPassword), null, logoutDevices);
        events.passwordChanged(userId, null, loggedOut);
        return loggedOut;
    }

    /** Deactivates the account as {@code POST /account/deactivate} does. */
    public void deactivate(String userId) {
        accounts.deactivate(userId);
        events.deactivated(userId, false);
    }

    /**
     * Approves replacing the user's cross-signing keys without user-interactive auth for
     * {@code turnkey.oauth.cross-signing-reset.lifetime}; returns until when.
     */
    @Transactional
    public long approveCrossSigningReset(String userId) {
        long now = clock.millis();
        long expires = now + settings.crossSigningResetLifetime().toMillis();
        CrossSigningResetApproval approval = em.find(CrossSigningResetApproval.class, userId);
        if (approval == null) {
            em.persist(new CrossSigningResetApproval(userId, now, expires));
        } else {
            approval.renew(now, expires);
        }
        events.crossSigningResetApproved(userId, expires);
        return expires;
    }

    /** Until when the user may replace their cross-signing keys without UIA, if an approval is live and the account active. */
    public Optional<Long> crossSigningResetAllowedUntil(String userId) {
        long now = clock.millis();
        return Optional.ofNullable(em.find(CrossSigningResetApproval.class, userId))
                .filter(a -> now < a.expiresTs())
                .filter(a -> users.find(userId).filter(u -> !u.deactivated()).isPresent())
                .map(CrossSigningResetApproval::expiresTs);
    }
}
