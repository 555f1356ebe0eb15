package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin policy: who is an admin ({@code users.admin}), and what an admin may do to
 * accounts. Every entry point checks the caller first, so a non-admin learns nothing about
 * which accounts exist.
 */
@ApplicationScoped
public class AdminService {

    /** The listing's query parameters, as received. */
    public record ListQuery(String from, String limit, String name, String admins, String deactivated,
                        String locked, String orderBy, String dir) {
    }

    public record Page(List<User> users, long total, Optional<Long> nextToken) {
    }

    public record Saved(User user, boolean created) {
    }

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final Map<String, String> ORDER_COLUMNS = Map.of("name", "user_id", "creation_ts", "created_ts");

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

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

    /** 403 {@code M_FORBIDDEN} unless the caller's account is flagged admin. */
    public void requireAdmin(Requester requester) {
        if (!users.find(requester.userId()).map(User::admin).orElse(false)) {
            throw MatrixException.forbidden("You are not a server admin");
        }
    }

    public Page list(Requester requester, ListQuery query) {
        requireAdmin(requester);
        long from = nonNegative("from", query.from(), 0);
        long limit = Math.min(nonNegative("limit", query.limit(), DEFAULT_LIMIT), MAX_LIMIT);
        String order = ORDER_COLUMNS.get(query.orderBy() == null ? "name" : query.orderBy());
        if (order == null) {
            throw MatrixException.invalidParam("order_by must be one of " + ORDER_COLUMNS.keySet());
        }
        String dir = query.dir() == null ? "f" : query.dir();
        if (!dir.equals("f") && !dir.equals("b")) {
            throw MatrixException.invalidParam("dir must be f or b");
        }
        // Native SQL: EclipseLink writes JPQL booleans as 0/1, which H2 and PostgreSQL refuse for BOOLEAN columns.
        List<String> where = new ArrayList<>();
        if (!bool("deactivated", query.deactivated(), false)) {
            where.add("deactivated = FALSE");
        }
        if (!bool("locked", query.locked(), false)) {
            where.add("locked = FALSE");
        }
        if (query.admins() != null) {
            where.add(bool("admins", query.admins(), false) ? "admin = TRUE" : "admin = FALSE");
        }
        String name = query.name() == null || query.name().isEmpty() ? null
                // Every local ID ends in ":server", so this pattern finds the name in the localpart only.
                : "@%" + likeEscaped(query.name().toLowerCase(Locale.ROOT)) + "%:" + likeEscaped(config.serverName());
        if (name != null) {
            where.add("user_id LIKE ?1 ESCAPE '\\'");
        }
        String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        Query count = em.createNativeQuery("SELECT COUNT(*) FROM users" + filter);
        Query page = em.createNativeQuery("SELECT * FROM users" + filter + " ORDER BY " + order
                + (dir.equals("b") ? " DESC" : " ASC") + ", user_id ASC LIMIT ?2 OFFSET ?3", User.class)
                .setParameter(2, limit).setParameter(3, from);
        if (name != null) {
            count.setParameter(1, name);
            page.setParameter(1, name);
        }
        long total = ((Number) count.getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<User> found = page.getResultList();
        long next = from + found.size();
        return new Page(found, total, next < total && !found.isEmpty() ? Optional.of(next) : Optional.empty());
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
        for (String list : List.of("threepids", "external_ids")) {
            if (body.has(list) && !(body.json().get(list) instanceof JsonArray array && array.isEmpty())) {
                throw MatrixException.invalidParam(list + " are not supported");
            }
        }
    }

    private static String likeEscaped(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Optional<Boolean> optionalBoolean(JsonBody body, String name) {
        return body.has(name) ? Optional.of(body.optionalBoolean(name, false)) : Optional.empty();
    }

    private static long nonNegative(String name, String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Answered below like a negative number.
        }
        throw MatrixException.invalidParam("Query parameter " + name + " must be a non-negative integer");
    }

    static boolean bool(String name, String value, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam("Query parameter " + name + " must be true or false");
        };
    }
}
