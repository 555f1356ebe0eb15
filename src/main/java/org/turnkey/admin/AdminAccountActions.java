package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.account.AccountService;
import org.turnkey.account.PasswordHasher;
import org.turnkey.account.User;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.auth.Requester;
import org.turnkey.device.Device;
import org.turnkey.device.DeviceService;
import org.turnkey.token.IssuedTokens;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What Synapse's v1 admin endpoints for one account do, that admin tools such as synadm call:
 * whois, password reset, login as the user, deactivation. Each checks the caller is an admin
 * before it looks the account up ({@link AdminService#requireAdmin}), and each change is a
 * security log line.
 */
@ApplicationScoped
public class AdminAccountActions {

    /** How long an admin-issued token lives when the admin gives no {@code valid_until_ms}. */
    static final Duration DEFAULT_LOGIN_AS_LIFETIME = Duration.ofHours(24);

    @Inject
    AdminService admin;

    @Inject
    AccountService accounts;

    @Inject
    DeviceService devices;

    @Inject
    PasswordHasher hasher;

    @Inject
    Clock clock;

    @Inject
    SecurityEvents events;

    /** The account and every device with its last sighting (address, time, user agent). */
    public record Whois(String userId, List<Device> devices) {
    }

    public Whois whois(Requester requester, String userId) {
        admin.requireAdmin(requester);
        User user = admin.existing(userId);
        return new Whois(user.userId(), devices.all(user.userId()));
    }

    /**
     * Sets a new password; with {@code logout_devices} (default true) every device but the
     * calling admin's own is deleted, as {@code PUT /_synapse/admin/v2/users} does.
     */
    @Transactional
    public void resetPassword(Requester requester, String userId, JsonBody body) {
        admin.requireAdmin(requester);
        String password = body.requireString("new_password");
        boolean logoutDevices = body.optionalBoolean("logout_devices", true);
        User user = admin.existing(userId);
        if (user.deactivated()) {
            throw MatrixException.invalidParam("The account is deactivated");
        }
        boolean self = user.userId().equals(requester.userId());
        accounts.changePassword(user.userId(), hasher.hash(password), self ? requester.deviceId() : null, logoutDevices);
        events.passwordSetByAdmin(user.userId(), logoutDevices, requester.userId(), requester.deviceId());
    }

    /**
     * A token for the user's account, valid until {@code valid_until_ms} (ms since the epoch,
     * default 24 hours from now), on a device the user does not see. Never for another admin,
     * whose powers it would hand over, nor for oneself or a deactivated account.
     */
    @Transactional
    public IssuedTokens loginAs(Requester requester, String userId, JsonBody body) {
        admin.requireAdmin(requester);
        long now = clock.millis();
        long validUntil = body.optionalLong("valid_until_ms").orElse(now + DEFAULT_LOGIN_AS_LIFETIME.toMillis());
        if (validUntil <= now) {
            throw MatrixException.invalidParam("valid_until_ms must be in the future");
        }
        User user = admin.existing(userId);
        if (user.userId().equals(requester.userId())) {
            throw MatrixException.invalidParam("Cannot use admin API to login as self");
        }
        if (user.admin()) {
            throw MatrixException.forbidden("Cannot log in as a server admin");
        }
        if (user.deactivated()) {
            throw MatrixException.invalidParam("The account is deactivated");
        }
        IssuedTokens issued = devices.signInHidden(user.userId(), validUntil);
        events.loggedInAsByAdmin(user.userId(), issued.deviceId(), validUntil, requester.userId(), requester.deviceId());
        return issued;
    }

    /**
     * Deactivates the account as the user's own deactivation does (every device, token and
     * login token goes); {@code erase} is accepted, and there is nothing more to erase, since
     * Turnkey keeps no profile or messages. Deactivating a deactivated account succeeds again.
     */
    @Transactional
    public void deactivate(Requester requester, String userId, JsonBody body) {
        admin.requireAdmin(requester);
        body.optionalBoolean("erase", false);
        User user = admin.existing(userId);
        if (user.userId().equals(requester.userId())) {
            throw MatrixException.invalidParam("You may not demote, lock or deactivate yourself");
        }
        if (!user.deactivated()) {
            accounts.deactivate(user.userId());
            events.deactivationChanged(user.userId(), true, requester.userId(), requester.deviceId());
        }
    }

    public void requireAdmin(Requester requester) {
        admin.requireAdmin(requester);
    }
}
