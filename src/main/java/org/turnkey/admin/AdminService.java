package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.transaction.Transactional;
import org.turnkey.email.Emails;
import org.turnkey.email.Threepids;
import org.turnkey.account.AccountService;
import org.turnkey.account.PasswordHasher;
import org.turnkey.account.User;
import org.turnkey.account.UserIds;
import org.turnkey.account.UserStore;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.auth.Requester;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.device.Device;
import org.turnkey.device.DeviceService;
import org.turnkey.token.IssuedTokens;
import org.turnkey.token.TokenService;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The admin policy: who is an admin ({@code users.admin}), and what an admin may do to
 * accounts. Every entry point checks the caller first, so a non-admin learns nothing about
 * which accounts exist. The listing's query is {@link AdminUserSearch}'s; the account changes
 * themselves are {@code AccountService}'s and {@code DeviceService}'s.
 */
@ApplicationScoped
public class AdminService {

    public record Saved(User user, boolean created) {
    }

    @Inject
    TurnkeyConfig config;

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Inject
    AccountService accounts;

    @Inject
    DeviceService devices;

    @Inject
    TokenService tokens;

    @Inject
    Clock clock;

    @Inject
    SecurityEvents events;

    @Inject
    AdminUserSearch search;

    @Inject
    Threepids threepids;

    /** 403 {@code M_FORBIDDEN} unless the caller's account is flagged admin. */
    public void requireAdmin(Requester requester) {
        if (!users.find(requester.userId()).map(User::admin).orElse(false)) {
            throw MatrixException.forbidden("You are not a server admin");
        }
    }

    public AdminUserSearch.Page list(Requester requester, AdminUserSearch.Params query) {
        requireAdmin(requester);
        return search.page(query);
    }

    public User get(Requester requester, String userId) {
        requireAdmin(requester);
        return existing(userId);
    }

    @Transactional
    public Saved put(Requester requester, String rawUserId, JsonBody body) {
        requireAdmin(requester);
        String userId = local(rawUserId);
        Optional<String> password = body.optionalString("password");
        password.ifPresent(AccountService::checkNewPassword);
        boolean logoutDevices = body.optionalBoolean("logout_devices", true);
        Optional<Boolean> admin = optionalBoolean(body, "admin");
        Optional<Boolean> locked = optionalBoolean(body, "locked");
        Optional<Boolean> deactivated = optionalBoolean(body, "deactivated");
        refuseUnsupported(body);
        Optional<List<String>> addresses = addresses(body);
        boolean self = userId.equals(requester.userId());
        if (self && (admin.equals(Optional.of(false)) || locked.equals(Optional.of(true))
                || deactivated.equals(Optional.of(true)))) {
            throw MatrixException.invalidParam("You may not demote, lock or deactivate yourself");
        }

        User user = users.find(userId).orElse(null);
        boolean created = user == null;
        if (created) {
            UserIds.forRegistration(userId.substring(1, userId.indexOf(':')), config.serverName());
            user = new User(userId, password.map(hasher::hash).orElse(null), clock.millis());
            user.admin(admin.orElse(false));
            user.locked(locked.orElse(false));
            users.persist(user);
            events.userCreatedByAdmin(userId, requester.userId(), requester.deviceId());
            if (deactivated.orElse(false)) {
                deactivate(requester, userId);
            } else {
                addresses.ifPresent(list -> threepids.replace(userId, list));
            }
            return new Saved(user, true);
        }

        if (deactivated.isPresent() && deactivated.get() != user.deactivated()) {
            if (deactivated.get()) {
                deactivate(requester, userId);
            } else {
                String newPassword = password.orElseThrow(() ->
                        MatrixException.invalidParam("Reactivating an account needs a password"));
                user.reactivate(hasher.hash(newPassword));
                events.deactivationChanged(userId, false, requester.userId(), requester.deviceId());
                password = Optional.empty();
            }
        }
        if (password.isPresent() && user.deactivated()) {
            throw MatrixException.invalidParam("The account is deactivated: reactivate it with deactivated: false");
        }
        if (password.isPresent()) {
            // An admin changing their own password keeps the device they are using, as in Synapse.
            accounts.changePassword(userId, hasher.hash(password.get()), self ? requester.deviceId() : null,
                    logoutDevices);
            events.passwordSetByAdmin(userId, logoutDevices, requester.userId(), requester.deviceId());
        }
        if (admin.isPresent() && admin.get() != user.admin()) {
            user.admin(admin.get());
            events.adminFlagChanged(userId, admin.get(), requester.userId(), requester.deviceId());
        }
        if (locked.isPresent() && locked.get() != user.locked()) {
            setLocked(requester, user, locked.get());
        }
        if (addresses.isPresent() && !user.deactivated()) {
            threepids.replace(userId, addresses.get());
        }
        return new Saved(user, false);
    }

    /** A new account, admin or not, signed in on a new device: one transaction. */
    @Transactional
    public IssuedTokens createSignedIn(String userId, String passwordHash, boolean admin) {
        User user = new User(userId, passwordHash, clock.millis());
        user.admin(admin);
        users.persist(user);
        return devices.signIn(userId, null, null, false);
    }

    /** Spec "Account locking": tokens stay; the change reaches cached tokens at once. */
    @Transactional
    public void setLocked(Requester requester, User user, boolean locked) {
        user.locked(locked);
        tokens.forgetUser(user.userId());
        events.lockChanged(user.userId(), locked, requester.userId(), requester.deviceId());
    }

    /** Spec {@code GET /_matrix/client/v1/admin/lock/{userId}}. */
    public boolean lockStatus(Requester requester, String userId) {
        requireAdmin(requester);
        return lockable(requester, userId).locked();
    }

    /** Spec {@code PUT /_matrix/client/v1/admin/lock/{userId}}: not oneself, not another admin. */
    @Transactional
    public boolean lock(Requester requester, String userId, boolean locked) {
        requireAdmin(requester);
        User user = lockable(requester, userId);
        if (user.userId().equals(requester.userId())) {
            throw MatrixException.forbidden("You may not lock your own account");
        }
        if (user.locked() != locked) {
            setLocked(requester, user, locked);
        }
        return user.locked();
    }

    private User lockable(Requester requester, String userId) {
        User user = existing(userId);
        if (user.deactivated()) {
            throw MatrixException.notFound("User not found");
        }
        if (user.admin() && !user.userId().equals(requester.userId())) {
            throw MatrixException.forbidden("The target user is a server admin");
        }
        return user;
    }

    public List<Device> devices(Requester requester, String userId) {
        requireAdmin(requester);
        return devices.list(existing(userId).userId());
    }

    /** One device of the user, admin-issued ones excluded as in the list; 404 if there is none. */
    public Device device(Requester requester, String userId, String deviceId) {
        requireAdmin(requester);
        String owner = existing(userId).userId();
        return devices.list(owner).stream().filter(d -> d.deviceId().equals(deviceId)).findFirst()
                .orElseThrow(() -> MatrixException.notFound("Device not found"));
    }

    @Transactional
    public void deleteDevice(Requester requester, String userId, String deviceId) {
        requireAdmin(requester);
        String owner = existing(userId).userId();
        if (devices.delete(owner, List.of(deviceId)) > 0) {
            events.deviceDeletedByAdmin(owner, deviceId, requester.userId());
        }
    }

    /** A local user that exists: 400 {@code M_INVALID_PARAM} for another server's, else 404. */
    public User existing(String rawUserId) {
        return users.find(local(rawUserId)).orElseThrow(() -> MatrixException.notFound("User not found"));
    }

    /** The stored form of a local user ID (lower-cased localpart); the localpart is checked on creation. */
    private String local(String rawUserId) {
        int colon = rawUserId == null ? -1 : rawUserId.indexOf(':');
        if (colon < 2 || !rawUserId.startsWith("@")) {
            throw MatrixException.invalidParam("Not a user ID: expected @localpart:" + config.serverName());
        }
        if (!rawUserId.substring(colon + 1).equalsIgnoreCase(config.serverName())) {
            throw MatrixException.invalidParam("Can only manage local users");
        }
        return "@" + rawUserId.substring(1, colon).toLowerCase(Locale.ROOT) + ":" + config.serverName();
    }

    private void deactivate(Requester requester, String userId) {
        accounts.deactivate(userId);
        events.deactivationChanged(userId, true, requester.userId(), requester.deviceId());
    }

    private static void refuseUnsupported(JsonBody body) {
        if (body.has("user_type")) {
            throw MatrixException.invalidParam("user_type is not supported");
        }
        for (String list : List.of("external_ids")) {
            if (body.has(list) && !(body.json().get(list) instanceof JsonArray array && array.isEmpty())) {
                throw MatrixException.invalidParam(list + " are not supported");
            }
        }
    }

    /** Synapse's {@code threepids}: objects with {@code medium} (only {@code email} here) and {@code address}. */
    private static Optional<List<String>> addresses(JsonBody body) {
        if (!body.has("threepids")) {
            return Optional.empty();
        }
        if (!(body.json().get("threepids") instanceof JsonArray array)) {
            throw MatrixException.invalidParam("threepids must be a list");
        }
        List<String> addresses = new java.util.ArrayList<>();
        for (var value : array) {
            if (!(value instanceof jakarta.json.JsonObject object)) {
                throw MatrixException.invalidParam("Each threepid must be an object with medium and address");
            }
            JsonBody threepid = JsonBody.of(object);
            if (!Emails.MEDIUM.equals(threepid.requireString("medium"))) {
                throw MatrixException.invalidParam("Only email threepids are supported");
            }
            addresses.add(Emails.canonical(threepid.requireString("address")));
        }
        return Optional.of(addresses);
    }

    private static Optional<Boolean> optionalBoolean(JsonBody body, String name) {
        return body.has(name) ? Optional.of(body.optionalBoolean(name, false)) : Optional.empty();
    }
}
