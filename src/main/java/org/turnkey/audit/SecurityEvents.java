package org.turnkey.audit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One log line per security event, with user and device and never a secret, plus the counters
 * operators alert on. All metric names live here.
 */
@ApplicationScoped
public class SecurityEvents {

    private static final Logger LOG = Logger.getLogger("org.turnkey.security");

    /** The server's beans; its MetricRegistry is looked up here only where the API exists. */
    @Inject
    Instance<Object> beans;

    private Metrics metrics;

    /** Looked up once: it is updated on every authenticated request. */
    private Consumer<Duration> accessTokenValidation;

    @PostConstruct
    void register() {
        metrics = Metrics.fromServer(beans);
        accessTokenValidation = metrics.timer("turnkey_access_token_validation");
    }

    public void loginSucceeded(String userId, String deviceId) {
        metrics.increment("turnkey_logins_total", "result", "success");
    }

    public void loginFailed(String attemptedUser, String reason) {
        metrics.increment("turnkey_logins_total", "result", "failure");
        LOG.info(() -> "event=login_failed user=" + sanitize(attemptedUser) + " reason=" + reason);
    }

    public void registered(String userId) {
        metrics.increment("turnkey_registrations_total");
        LOG.info(() -> "event=registered user=" + userId);
    }

    /** Time spent resolving a presented access token, whatever the outcome (cache hit, database, 401). */
    public void accessTokenChecked(long nanos) {
        accessTokenValidation.accept(Duration.ofNanos(nanos));
    }

    public void refreshed() {
        metrics.increment("turnkey_refreshes_total");
    }

    public void refreshTokenReplayed(String userId, String deviceId, boolean deviceRevoked) {
        metrics.increment("turnkey_refresh_replays_total");
        LOG.warning(() -> "event=refresh_token_replayed user=" + userId + " device=" + sanitize(deviceId)
                + " action=" + (deviceRevoked ? "revoked_device_tokens" : "rejected_token"));
    }

    /** A rotated refresh token that the client had already sent when it used the new pair. */
    public void refreshTokenDuplicate(String userId, String deviceId) {
        metrics.increment("turnkey_refresh_duplicates_total");
        LOG.info(() -> "event=refresh_token_duplicate user=" + userId + " device=" + sanitize(deviceId));
    }

    public void loggedOut(String userId, String deviceId, boolean allDevices) {
        LOG.info(() -> "event=" + (allDevices ? "logout_all" : "logout") + " user=" + userId
                + " device=" + sanitize(deviceId));
    }

    public void loginTokenIssued(String userId, String deviceId) {
        metrics.increment("turnkey_login_tokens_issued_total");
        LOG.info(() -> "event=login_token_issued user=" + userId + " device=" + sanitize(deviceId));
    }

    public void devicesDeleted(String userId, String byDeviceId, int count) {
        LOG.info(() -> "event=devices_deleted user=" + userId + " by_device=" + sanitize(byDeviceId) + " count=" + count);
    }

    public void passwordChanged(String userId, String deviceId, int devicesLoggedOut) {
        metrics.increment("turnkey_password_changes_total");
        LOG.info(() -> "event=password_changed user=" + userId + " device=" + sanitize(deviceId)
                + " devices_logged_out=" + devicesLoggedOut);
    }

    public void deactivated(String userId, boolean erase) {
        metrics.increment("turnkey_deactivations_total");
        LOG.warning(() -> "event=account_deactivated user=" + userId + " erase=" + erase);
    }

    /** On the account pages: the user may replace their cross-signing keys without UIA until {@code untilMs}. */
    public void crossSigningResetApproved(String userId, long untilMs) {
        LOG.warning(() -> "event=cross_signing_reset_approved user=" + userId + " until_ms=" + untilMs);
    }

    public void rateLimited(String limit) {
        metrics.increment("turnkey_rate_limited_total", "limit", limit);
    }

    public void lockChanged(String userId, boolean locked, String adminId, String adminDeviceId) {
        metrics.increment("turnkey_account_locks_total", "action", locked ? "lock" : "unlock");
        LOG.warning(() -> "event=" + (locked ? "account_locked" : "account_unlocked") + " user=" + userId
                + " admin=" + adminId + " device=" + sanitize(adminDeviceId));
    }

    public void passwordSetByAdmin(String userId, boolean devicesLoggedOut, String adminId, String adminDeviceId) {
        metrics.increment("turnkey_admin_password_changes_total");
        LOG.warning(() -> "event=password_set_by_admin user=" + userId + " logout_devices=" + devicesLoggedOut
                + " admin=" + adminId + " device=" + sanitize(adminDeviceId));
    }

    public void adminFlagChanged(String userId, boolean admin, String adminId, String adminDeviceId) {
        LOG.warning(() -> "event=" + (admin ? "admin_granted" : "admin_revoked") + " user=" + userId
                + " admin=" + adminId + " device=" + sanitize(adminDeviceId));
    }

    public void userCreatedByAdmin(String userId, String adminId, String adminDeviceId) {
        metrics.increment("turnkey_registrations_total");
        LOG.info(() -> "event=user_created_by_admin user=" + userId + " admin=" + adminId
                + " device=" + sanitize(adminDeviceId));
    }

    public void deactivationChanged(String userId, boolean deactivated, String adminId, String adminDeviceId) {
        LOG.warning(() -> "event=" + (deactivated ? "deactivated_by_admin" : "reactivated_by_admin") + " user=" + userId
                + " admin=" + adminId + " device=" + sanitize(adminDeviceId));
    }

    /** An admin took a token for a user's account (admin login-as); the token is never logged. */
    public void loggedInAsByAdmin(String userId, String deviceId, long expiresTs, String adminId, String adminDeviceId) {
        metrics.increment("turnkey_admin_logins_as_total");
        LOG.warning(() -> "event=login_as_by_admin user=" + userId + " device=" + sanitize(deviceId)
                + " valid_until_ms=" + expiresTs + " admin=" + adminId + " admin_device=" + sanitize(adminDeviceId));
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
        metrics.increment("turnkey_registrations_total");
        LOG.warning(() -> "event=shared_secret_registration user=" + userId + " device=" + sanitize(deviceId)
                + " admin=" + admin);
    }

    public void sharedSecretRejected(String attemptedUser, String reason) {
        metrics.increment("turnkey_shared_secret_rejections_total");
        LOG.warning(() -> "event=shared_secret_rejected user=" + sanitize(attemptedUser) + " reason=" + reason);
    }

    /** OAuth 2.0: a new client registration (an identical one answered with an existing ID is not logged). */
    public void oauthClientRegistered(String clientId, String applicationType) {
        metrics.increment("turnkey_oauth_clients_registered_total");
        LOG.info(() -> "event=oauth_client_registered client=" + clientId + " type=" + applicationType);
    }

    /** OAuth 2.0: a grant issued tokens ({@code grant}: authorization_code, refresh_token or device_code). */
    public void oauthGrant(String grant, String userId, String deviceId, String clientId) {
        metrics.increment("turnkey_oauth_grants_total", "grant", grant);
        if ("authorization_code".equals(grant)) {
            LOG.info(() -> "event=oauth_login user=" + userId + " device=" + sanitize(deviceId) + " client=" + clientId);
        }
        if ("device_code".equals(grant)) {
            LOG.info(() -> "event=oauth_device_login user=" + userId + " device=" + sanitize(deviceId) + " client=" + clientId);
        }
    }

    /** OAuth 2.0: a grant refused with {@code invalid_grant} and why (never the code or token). */
    public void oauthGrantRefused(String grant, String clientId, String reason) {
        metrics.increment("turnkey_oauth_grant_failures_total", "grant", grant);
        LOG.info(() -> "event=oauth_grant_refused grant=" + grant + " client=" + sanitize(clientId) + " reason=" + reason);
    }

    /**
     * RFC 6749 section 4.1.2: an authorisation code presented after it was redeemed. The code
     * leaked or the client is broken; the session its first use started was revoked.
     */
    public void oauthCodeReused(String userId, String clientId, boolean sessionRevoked) {
        metrics.increment("turnkey_oauth_code_reuses_total");
        LOG.warning(() -> "event=oauth_code_reused user=" + userId + " client=" + sanitize(clientId)
                + " action=" + (sessionRevoked ? "revoked_session" : "none"));
    }

    /**
     * RFC 7009: a token revoked through the revocation endpoint; {@code clientMatched} false when
     * no or another client_id came with it (a secret scanner, or a stolen token being used up).
     */
    public void oauthTokenRevoked(String userId, String deviceId, boolean clientMatched) {
        LOG.info(() -> "event=oauth_token_revoked user=" + userId + " device=" + sanitize(deviceId)
                + " client_matched=" + clientMatched);
    }

    /** Legacy SSO (spec "OAuth 2.0 aware clients"): a browser sign-in handed a login token to {@code host}. */
    public void ssoLoginTokenIssued(String userId, String host) {
        metrics.increment("turnkey_login_tokens_issued_total");
        LOG.info(() -> "event=sso_login_token_issued user=" + userId + " redirect_host=" + sanitize(host));
    }

    /** Admin API: an OAuth 2.0 client deleted, with every device its sessions were on. */
    public void oauthClientDeletedByAdmin(String clientId, int devicesDeleted, String adminId, String adminDeviceId) {
        LOG.warning(() -> "event=oauth_client_deleted_by_admin client=" + sanitize(clientId) + " devices_deleted="
                + devicesDeleted + " admin=" + adminId + " admin_device=" + sanitize(adminDeviceId));
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
