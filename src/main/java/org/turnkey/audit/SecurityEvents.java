package org.turnkey.audit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * One log line per security event, with user and device and never a secret, plus the counters
 * operators alert on. All metric names live here.
 */
@ApplicationScoped
public class SecurityEvents {

    private static final Logger LOG = Logger.getLogger("org.turnkey.security");

    @Inject
    MetricRegistry metrics;

    /** Looked up once: it is updated on every authenticated request. */
    private Timer accessTokenValidation;

    @PostConstruct
    void register() {
        accessTokenValidation = metrics.timer("turnkey_access_token_validation");
    }

    public void loginSucceeded(String userId, String deviceId) {
        metrics.counter("turnkey_logins_total", new Tag("result", "success")).inc();
    }

    public void loginFailed(String attemptedUser, String reason) {
        metrics.counter("turnkey_logins_total", new Tag("result", "failure")).inc();
        LOG.info(() -> "event=login_failed user=" + sanitize(attemptedUser) + " reason=" + reason);
    }

    public void registered(String userId) {
        metrics.counter("turnkey_registrations_total").inc();
        LOG.info(() -> "event=registered user=" + userId);
    }

    /** Time spent resolving a presented access token, whatever the outcome (cache hit, database, 401). */
    public void accessTokenChecked(long nanos) {
        accessTokenValidation.update(Duration.ofNanos(nanos));
    }

    public void refreshed() {
        metrics.counter("turnkey_refreshes_total").inc();
    }

    public void refreshTokenReplayed(String userId, String deviceId, boolean deviceRevoked) {
        metrics.counter("turnkey_refresh_replays_total").inc();
        LOG.warning(() -> "event=refresh_token_replayed user=" + userId + " device=" + sanitize(deviceId)
                + " action=" + (deviceRevoked ? "revoked_device_tokens" : "rejected_token"));
    }

    public void loggedOut(String userId, String deviceId, boolean allDevices) {
        LOG.info(() -> "event=" + (allDevices ? "logout_all" : "logout") + " user=" + userId
                + " device=" + sanitize(deviceId));
    }

    public void loginTokenIssued(String userId, String deviceId) {
        metrics.counter("turnkey_login_tokens_issued_total").inc();
        LOG.info(() -> "event=login_token_issued user=" + userId + " device=" + sanitize(deviceId));
    }

    public void devicesDeleted(String userId, String byDeviceId, int count) {
        LOG.info(() -> "event=devices_deleted user=" + userId + " by_device=" + sanitize(byDeviceId) + " count=" + count);
    }

    public void passwordChanged(String userId, String deviceId, int devicesLoggedOut) {
        metrics.counter("turnkey_password_changes_total").inc();
        LOG.info(() -> "event=password_changed user=" + userId + " device=" + sanitize(deviceId)
                + " devices_logged_out=" + devicesLoggedOut);
    }

    public void deactivated(String userId, boolean erase) {
        metrics.counter("turnkey_deactivations_total").inc();
        LOG.warning(() -> "event=account_deactivated user=" + userId + " erase=" + erase);
    }

    public void rateLimited(String limit) {
        metrics.counter("turnkey_rate_limited_total", new Tag("limit", limit)).inc();
    }

    public void lockChanged(String userId, boolean locked, String adminId, String adminDeviceId) {
        metrics.counter("turnkey_account_locks_total", new Tag("action", locked ? "lock" : "unlock")).inc();
        LOG.warning(() -> "event=" + (locked ? "account_locked" : "account_unlocked") + " user=" + userId
                + " admin=" + adminId + " device=" + sanitize(adminDeviceId));
    }

    public void passwordSetByAdmin(String userId, boolean devicesLoggedOut, String adminId, String adminDeviceId) {
        metrics.counter("turnkey_admin_password_changes_total").inc();
        LOG.warning(() -> "event=password_set_by_admin user=" + userId + " logout_devices=" + devicesLoggedOut
                + " admin=" + adminId + " device=" + sanitize(adminDeviceId));
    }

    public void adminFlagChanged(String userId, boolean admin, String adminId, String adminDeviceId) {
        LOG.warning(() -> "event=" + (admin ? "admin_granted" : "admin_revoked") + " user=" + userId
                + " admin=" + adminId + " device=" + sanitize(adminDeviceId));
    }

    public void userCreatedByAdmin(String userId, String adminId, String adminDeviceId) {
        metrics.counter("turnkey_registrations_total").inc();
        LOG.info(() -> "event=user_created_by_admin user=" + userId + " admin=" + adminId
                + " device=" + sanitize(adminDeviceId));
    }

    public void deactivationChanged(String userId, boolean deactivated, String adminId, String adminDeviceId) {
        LOG.warning(() -> "event=" + (deactivated ? "deactivated_by_admin" : "reactivated_by_admin") + " user=" + userId
                + " admin=" + adminId + " device=" + sanitize(adminDeviceId));
    }

    public void deviceDeletedByAdmin(String userId, String deviceId, String adminId) {
        LOG.info(() -> "event=device_deleted_by_admin user=" + userId + " device=" + sanitize(deviceId)
                + " admin=" + adminId);
    }

    /** {@code action}: created, updated or deleted. The token is never logged, not even its hash (short ones are guessable). */
    public void registrationTokenChanged(String action, String adminId, String adminDeviceId) {
        LOG.info(() -> "event=registration_token_" + action + " admin=" + adminId + " device=" + sanitize(adminDeviceId));
    }

    /** Registration with the shared secret: the new account and its first device. */
    public void sharedSecretRegistered(String userId, String deviceId, boolean admin) {
        metrics.counter("turnkey_registrations_total").inc();
        LOG.warning(() -> "event=shared_secret_registration user=" + userId + " device=" + sanitize(deviceId)
                + " admin=" + admin);
    }

    public void sharedSecretRejected(String attemptedUser, String reason) {
        metrics.counter("turnkey_shared_secret_rejections_total").inc();
        LOG.warning(() -> "event=shared_secret_rejected user=" + sanitize(attemptedUser) + " reason=" + reason);
    }

    /** Attacker-chosen strings go to the log without line breaks and at bounded length. */
    static String sanitize(String value) {
        if (value == null) {
            return "-";
        }
        String clean = value.replaceAll("[\\p{Cntrl}\\s]", "_");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}
