package org.turnkey.device;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.api.MatrixException;
import org.turnkey.token.IssuedTokens;
import org.turnkey.token.TokenService;
import org.turnkey.token.Tokens;

import java.time.Clock;
import java.util.List;

/** Devices and signing in on them (spec "Relationship between access tokens and devices"). */
@ApplicationScoped
public class DeviceService {

    public static final int MAX_DEVICE_ID_LENGTH = 255;
    private static final int MAX_DISPLAY_NAME_LENGTH = 1024;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    TokenService tokens;

    @Inject
    Clock clock;

    @Inject
    DeviceActivity activity;

    /** 400 {@code M_INVALID_PARAM} for a device ID this server cannot store. */
    public static void checkDeviceId(String deviceId) {
        if (deviceId.isEmpty() || deviceId.length() > MAX_DEVICE_ID_LENGTH) {
            throw MatrixException.invalidParam("device_id must be 1 to " + MAX_DEVICE_ID_LENGTH + " characters");
        }
    }

    public static void checkDisplayName(String displayName) {
        if (displayName != null && displayName.length() > MAX_DISPLAY_NAME_LENGTH) {
            throw MatrixException.invalidParam("Device display name is longer than " + MAX_DISPLAY_NAME_LENGTH);
        }
    }

    /**
     * Signs a user in on a device. A known {@code device_id} of this user keeps the device and
     * its display name and revokes every token it had; an unknown one creates the device. A
     * {@code device_id} only ever names a device of the same user. The device's row is locked
     * before its tokens change, as every writer of tokens does; concurrent sign-ins with one new
     * {@code device_id} create it once and then take turns.
     */
    @Transactional
    public IssuedTokens signIn(String userId, String requestedDeviceId, String displayName, boolean refreshable) {
        String deviceId = requestedDeviceId != null ? requestedDeviceId : newDeviceId();
        lockedDevice(userId, deviceId, displayName, false);
        return tokens.loginOnDevice(userId, deviceId, refreshable);
    }

    /**
     * A token an admin issues for the user (Synapse's {@code POST /_synapse/admin/v1/users/{userId}/login}),
     * on a new device that the user's device lists do not show, valid until {@code expiresTs}.
     * Logging out, deleting all devices, a password change or deactivation end it as they end
     * the user's own sessions.
     */
    @Transactional
    public IssuedTokens signInHidden(String userId, long expiresTs) {
        String deviceId = newDeviceId();
        lockedDevice(userId, deviceId, null, true);
        return tokens.loginOnDevice(userId, deviceId, expiresTs);
    }

    /**
     * Signs a user in on the device an OAuth 2.0 scope names (spec "Device ID allocation"):
     * created if new, with the client's name as display name, else reused, which revokes its
     * old tokens as a legacy re-login does. Runs in the token endpoint's transaction, after the
     * user's row was locked; the device's row is locked next (the lock order of {@code TokenStore}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TokenService.OAuthSessionStart signInOAuth(String userId, String deviceId, String displayName,
                                                      String clientId, String scope) {
        lockedDevice(userId, deviceId, displayName, false);
        return tokens.startOAuthSession(userId, deviceId, clientId, scope);
    }

    private void lockedDevice(String userId, String deviceId, String displayName, boolean hidden) {
        // A logout may delete the device between its creation and the lock: create it again.
        for (int attempt = 0; tokens.lockDevices(userId, List.of(deviceId)).isEmpty(); attempt++) {
            if (attempt == 3) {
                throw new IllegalStateException("Device kept disappearing while signing in");
            }
            em.createNativeQuery("INSERT INTO devices (user_id, device_id, display_name, created_ts, hidden)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .setParameter(1, userId).setParameter(2, deviceId).setParameter(3, displayName)
                    .setParameter(4, clock.millis()).setParameter(5, hidden).executeUpdate();
        }
    }

    /** The devices the user sees (spec {@code GET /devices}): all but admin-issued ones. */
    public List<Device> list(String userId) {
        return all(userId).stream().filter(d -> !d.hidden()).toList();
    }

    /** Every device of the user, admin-issued ones included, with their newest last-seen values. */
    public List<Device> all(String userId) {
        activity.writePending();
        return em.createQuery("SELECT d FROM Device d WHERE d.userId = :u ORDER BY d.deviceId", Device.class)
                .setParameter("u", userId).getResultList();
    }

    /**
     * Deletes devices; their sessions and tokens go with them (the session is really gone). Their
     * rows are locked first, in device ID order.
     */
    @Transactional
    public int delete(String userId, List<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return 0;
        }
        tokens.forgetDevices(userId, deviceIds);
        return em.createQuery("DELETE FROM Device d WHERE d.userId = :u AND d.deviceId IN :ids")
                .setParameter("u", userId).setParameter("ids", deviceIds).executeUpdate();
    }

    @Transactional
    public int deleteAll(String userId) {
        return delete(userId, all(userId).stream().map(Device::deviceId).toList());
    }

    public static String newDeviceId() {
        return Tokens.randomChars(10, ID_ALPHABET);
    }
}
