package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.annotation.Resource;
import org.turnkey.cluster.ClusterInvalidation;
import org.turnkey.persistence.Database;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Queries over sessions and token pairs. Every method that revokes or deletes tokens also takes
 * their access hashes out of the {@link AccessTokenCache}, now and again after commit.
 * <p>
 * The two paths every client takes all the time, the access-token check on a cache miss and
 * {@code /refresh}, use plain JDBC with a statement per step: there EclipseLink's unit of work
 * cost several times the database's own work. Inside a transaction the connection is the one
 * the persistence context uses, so both see the same rows and locks.
 * <p>
 * <b>Lock order.</b> Every transaction that writes a device's sessions or token pairs first
 * locks that device's row ({@link #lockDevices}); one that needs several devices locks them in
 * device ID order, and one that changes the account locks the user's row before any device.
 * Refreshes, first uses of refreshed tokens, logins, logouts and replay revocations of one device
 * therefore run one after another and can never wait for each other in a cycle, on H2 or
 * PostgreSQL, on one instance or several. Reads take no locks.
 */
@ApplicationScoped
public class TokenStore {

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    AccessTokenCache cache;

    @Inject
    ClusterInvalidation cluster;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    /**
     * A pair as the hot paths read it: its session, its account's lock, and while its parent
     * pair is not revoked yet, the parent's access hash (to revoke it when this pair is used).
     */
    public record PairState(TokenPair pair, boolean locked, String liveParentAccessHash) {
    }

    /** A pair presented for refresh, its row locked, and the successor it already has, if any. */
    public record RefreshState(PairState presented, TokenPair successor) {
    }

    private static final String PAIR_COLUMNS = pairColumns("p");

    /** Columns 1 to 21: the pair ({@link #PAIR_COLUMNS}), its session, its account's lock, its parent's access hash and revocation. */
    private static final String STATE_COLUMNS = "SELECT " + PAIR_COLUMNS + ", s.id, s.user_id, s.device_id,"
            + " s.client_id, s.scope, s.created_ts, u.locked, par.access_hash, par.revoked";

    private static final String STATE_TABLES = " FROM token_pairs p JOIN auth_sessions s ON s.id = p.session_id"
            + " JOIN users u ON u.user_id = s.user_id"
            + " LEFT JOIN token_pairs par ON par.id = p.parent_id";

    private static final String STATE_QUERY = STATE_COLUMNS + STATE_TABLES;

    /** Where the successor's columns start in {@link #REFRESH_STATE_QUERY}, less one. */
    private static final int CHILD_OFFSET = 21;

    /**
     * The state of the pair with a refresh hash and, in columns 22 to 33, its successor if it has
     * one, found among the session's few pairs (parent_id has no index: V10).
     */
    static final String REFRESH_STATE_QUERY = STATE_COLUMNS + ", " + pairColumns("c") + STATE_TABLES
            + " LEFT JOIN token_pairs c ON c.session_id = p.session_id AND c.parent_id = p.id"
            + " WHERE p.refresh_hash = ?";

    /**
     * Locks the device row of the pair with a refresh hash and answers its user and device. Only
     * the device's row is locked (sub-selects in WHERE are only read, on H2 and PostgreSQL), so
     * the lock order holds; the pair is read again after the lock. Two scalar sub-selects rather
     * than a row value: H2 finds the device by its primary key only so (with {@code (user_id,
     * device_id) IN (...)} it reads every device).
     */
    static final String LOCK_BY_REFRESH_HASH = "SELECT user_id, device_id FROM devices"
            + " WHERE user_id = (SELECT s.user_id FROM token_pairs p JOIN auth_sessions s ON s.id = p.session_id"
            + " WHERE p.refresh_hash = ?)"
            + " AND device_id = (SELECT s.device_id FROM token_pairs p JOIN auth_sessions s ON s.id = p.session_id"
            + " WHERE p.refresh_hash = ?) FOR UPDATE";

    /**
     * A pair's first use in one statement: it is marked used and its parent revoked, unless
     * something else revoked the parent first. Parameters: pair, parent, parent, now, pair, parent.
     */
    private static final String USE_AND_REVOKE_PARENT = "UPDATE token_pairs SET"
            + " used = CASE WHEN id = ? THEN TRUE ELSE used END,"
            + " revoked = CASE WHEN id = ? THEN '" + TokenPair.Revocation.ROTATED.name() + "' ELSE revoked END,"
            + " revoked_ts = CASE WHEN id = ? THEN ? ELSE revoked_ts END"
            + " WHERE id = ? OR (id = ? AND revoked IS NULL)";

    private static String pairColumns(String alias) {
        return String.join(", ", List.of("id", "generation", "access_hash", "refresh_hash", "rotation_salt",
                "parent_id", "used", "revoked", "created_ts", "access_expires_ts", "refresh_expires_ts", "revoked_ts")
                .stream().map(column -> alias + "." + column).toList());
    }

    /** The pair whose access token has this hash, in one query. */
    public Optional<PairState> byAccessHashState(String hash) {
        return state(STATE_QUERY + " WHERE p.access_hash = ?", hash);
    }

    /** The pair whose refresh token has this hash, read without locks (revocation lookups). */
    public Optional<PairState> byRefreshHashState(String hash) {
        return state(STATE_QUERY + " WHERE p.refresh_hash = ?", hash);
    }

    /**
     * Revokes every live pair of one session at {@code now}, under its device's lock (an
     * authorisation code presented twice revokes what its first use issued); the device and the
     * device's other sessions stay. Answers the session's user and device, if it still exists.
     */
    public Optional<AuthSession> revokeSession(long sessionId, TokenPair.Revocation reason, long now) {
        AuthSession session = em.find(AuthSession.class, sessionId);
        if (session == null || lockDevices(session.userId(), List.of(session.deviceId())).isEmpty()) {
            return Optional.empty();
        }
        List<TokenPair> live = em.createQuery("SELECT p FROM TokenPair p WHERE p.session.id = :s"
                + " AND p.revoked IS NULL", TokenPair.class).setParameter("s", sessionId).getResultList();
        live.forEach(p -> p.revoke(reason, now));
        invalidate(live.stream().map(TokenPair::accessHash).toList());
        return Optional.of(session);
    }

    /**
     * The pair whose refresh token has this hash, read after its device's row was locked until
     * the transaction ends, so refreshes of one device, on any instance, run one after another
     * and each sees what the one before it committed. Two statements: the lock (which finds the
     * device from the hash), then the pair with its session and successor, read after the lock
     * so that it is what the refresh before this one committed.
     */
    public Optional<RefreshState> byRefreshHashLocked(String hash) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement lock = connection.prepareStatement(LOCK_BY_REFRESH_HASH)) {
                lock.setString(1, hash);
                lock.setString(2, hash);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement(REFRESH_STATE_QUERY)) {
                query.setString(1, hash);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    PairState presented = state(row);
                    TokenPair successor = nullableLong(row, CHILD_OFFSET + 1) == null ? null
                            : pair(row, presented.pair().session(), CHILD_OFFSET);
                    return Optional.of(new RefreshState(presented, successor));
                }
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /**
     * The first use of a pair: under its device's lock, revokes its parent at {@code now}
     * (evicting the parent's access token everywhere), marks it used and, unless
     * {@code keptGenerations} is 0, prunes the session's revoked generations older than that
     * many ({@link RefreshTokenPolicy#prunesAt} says when).
     */
    public void confirmUse(PairState state, int keptGenerations, long now) {
        AuthSession session = state.pair().session();
        try (Connection connection = dataSource.getConnection()) {
            if (lockDevice(connection, session.userId(), session.deviceId())) {
                confirmUse(connection, state, keptGenerations, now);
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /**
     * As {@link #confirmUse(PairState, int, long)}, for the pair a refresh presented: the device's
     * lock is already held, taken by {@link #byRefreshHashLocked} in this transaction.
     */
    public void confirmUse(RefreshState locked, int keptGenerations, long now) {
        try (Connection connection = dataSource.getConnection()) {
            confirmUse(connection, locked.presented(), keptGenerations, now);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    private void confirmUse(Connection connection, PairState state, int keptGenerations, long now) throws SQLException {
        TokenPair pair = state.pair();
        if (state.liveParentAccessHash() == null) {
            update(connection, "UPDATE token_pairs SET used = TRUE WHERE id = ?", pair.id());
        } else {
            try (PreparedStatement use = connection.prepareStatement(USE_AND_REVOKE_PARENT)) {
                use.setLong(1, pair.id());
                use.setLong(2, pair.parentId());
                use.setLong(3, pair.parentId());
                use.setLong(4, now);
                use.setLong(5, pair.id());
                use.setLong(6, pair.parentId());
                // Fewer than two rows only if another transaction revoked the parent (or removed
                // this pair) first; evicting the parent's access token again does no harm.
                if (use.executeUpdate() > 0) {
                    invalidate(List.of(state.liveParentAccessHash()));
                }
            }
        }
        if (keptGenerations > 0) {
            prune(connection, pair.session().id(), pair.generation(), keptGenerations);
        }
    }

    /** Writes a pair minted by a refresh. */
    public void insert(TokenPair pair) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO token_pairs (id, session_id,"
                     + " generation, access_hash, refresh_hash, rotation_salt, parent_id, used, revoked, created_ts,"
                     + " access_expires_ts, refresh_expires_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)")) {
            insert.setLong(1, pair.id());
            insert.setLong(2, pair.session().id());
            insert.setInt(3, pair.generation());
            insert.setString(4, pair.accessHash());
            insert.setString(5, pair.refreshHash());
            insert.setString(6, pair.rotationSalt());
            setLong(insert, 7, pair.parentId());
            insert.setBoolean(8, pair.used());
            insert.setLong(9, pair.createdTs());
            setLong(insert, 10, pair.accessExpiresTs());
            setLong(insert, 11, pair.refreshExpiresTs());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** Replaces a stale successor: it goes, and its parent gets a new salt for the next one. */
    public void replaceSuccessor(TokenPair stale, TokenPair parent) {
        invalidate(List.of(stale.accessHash()));
        try (Connection connection = dataSource.getConnection()) {
            update(connection, "DELETE FROM token_pairs WHERE id = ?", stale.id());
            try (PreparedStatement salt = connection.prepareStatement(
                    "UPDATE token_pairs SET rotation_salt = ? WHERE id = ?")) {
                salt.setString(1, parent.rotationSalt());
                salt.setLong(2, parent.id());
                salt.executeUpdate();
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    public Optional<AuthSession> legacySession(String userId, String deviceId) {
        return em.createQuery("SELECT s FROM AuthSession s WHERE s.userId = :u AND s.deviceId = :d"
                        + " AND s.clientId IS NULL", AuthSession.class)
                .setParameter("u", userId).setParameter("d", deviceId)
                .getResultStream().findFirst();
    }

    public int maxGeneration(long sessionId) {
        Integer max = em.createQuery("SELECT MAX(p.generation) FROM TokenPair p WHERE p.session.id = :s", Integer.class)
                .setParameter("s", sessionId).getSingleResult();
        return max == null ? 0 : max;
    }

    public void persist(Object entity) {
        em.persist(entity);
    }

    /**
     * Locks the rows of these devices of one user, in device ID order, until the transaction
     * ends (see the lock order above); answers the IDs that exist.
     */
    public List<String> lockDevices(String userId, Collection<String> deviceIds) {
        try (Connection connection = dataSource.getConnection()) {
            List<String> locked = new ArrayList<>();
            for (String deviceId : new TreeSet<>(deviceIds)) {
                if (lockDevice(connection, userId, deviceId)) {
                    locked.add(deviceId);
                }
            }
            return locked;
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    private static boolean lockDevice(Connection connection, String userId, String deviceId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT device_id FROM devices WHERE user_id = ? AND device_id = ? FOR UPDATE")) {
            lock.setString(1, userId);
            lock.setString(2, deviceId);
            try (ResultSet row = lock.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Revokes every live pair of one device at {@code now}, under the device's lock. */
    public void revokeDevice(String userId, String deviceId, TokenPair.Revocation reason, long now) {
        lockDevices(userId, List.of(deviceId));
        List<TokenPair> live = em.createQuery("SELECT p FROM TokenPair p WHERE p.session.userId = :u"
                        + " AND p.session.deviceId = :d AND p.revoked IS NULL", TokenPair.class)
                .setParameter("u", userId).setParameter("d", deviceId).getResultList();
        live.forEach(p -> p.revoke(reason, now));
        invalidate(live.stream().map(TokenPair::accessHash).toList());
    }

    /**
     * Locks devices about to be deleted and drops their cached tokens (their rows go with the
     * device).
     */
    public void forgetDevices(String userId, List<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return;
        }
        lockDevices(userId, deviceIds);
        invalidate(em.createQuery("SELECT p.accessHash FROM TokenPair p WHERE p.session.userId = :u"
                        + " AND p.session.deviceId IN :d", String.class)
                .setParameter("u", userId).setParameter("d", deviceIds).getResultList());
    }

    /** Drops every cached token of a user whose account flags changed; the tokens stay valid. */
    public void forgetUser(String userId) {
        invalidate(em.createQuery("SELECT p.accessHash FROM TokenPair p WHERE p.session.userId = :u", String.class)
                .setParameter("u", userId).getResultList());
    }

    /**
     * Keeps only the newest revoked generations of a session: chains of refreshes stay bounded.
     * Runs in the caller's transaction, after the persistence context's changes are written.
     */
    public void prune(long sessionId, int newestGeneration, int keep) {
        em.flush();
        try (Connection connection = dataSource.getConnection()) {
            prune(connection, sessionId, newestGeneration, keep);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    // Only revoked pairs go, and their access tokens left the caches when they were revoked.
    private static void prune(Connection connection, long sessionId, int newestGeneration, int keep)
            throws SQLException {
        try (PreparedStatement prune = connection.prepareStatement("DELETE FROM token_pairs"
                + " WHERE session_id = ? AND revoked IS NOT NULL AND generation <= ?")) {
            prune.setLong(1, sessionId);
            prune.setInt(2, newestGeneration - keep);
            prune.executeUpdate();
        }
    }

    private Optional<PairState> state(String sql, String hash) {
        try (Connection connection = dataSource.getConnection()) {
            return state(connection, sql, hash);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    private static Optional<PairState> state(Connection connection, String sql, String hash) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, hash);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(state(row)) : Optional.empty();
            }
        }
    }

    /** A row of {@link #STATE_COLUMNS}. */
    private static PairState state(ResultSet row) throws SQLException {
        AuthSession session = new AuthSession(row.getLong(13), row.getString(14), row.getString(15),
                row.getString(16), row.getString(17), row.getLong(18));
        TokenPair pair = pair(row, session, 0);
        boolean parentLive = row.getString(21) == null;
        return new PairState(pair, row.getBoolean(19), parentLive ? row.getString(20) : null);
    }

    /** The pair in columns {@code offset + 1} to {@code offset + 12}, in the order of {@link #pairColumns}. */
    private static TokenPair pair(ResultSet row, AuthSession session, int offset) throws SQLException {
        TokenPair pair = new TokenPair(row.getLong(offset + 1), session, row.getInt(offset + 2),
                row.getString(offset + 3), row.getString(offset + 4), row.getString(offset + 5),
                nullableLong(row, offset + 6), row.getBoolean(offset + 7), row.getLong(offset + 9),
                nullableLong(row, offset + 10), nullableLong(row, offset + 11));
        String revoked = row.getString(offset + 8);
        if (revoked != null) {
            pair.revoke(TokenPair.Revocation.valueOf(revoked), nullableLong(row, offset + 12));
        }
        return pair;
    }

    private static Long nullableLong(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static int update(Connection connection, String sql, long id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setLong(1, id);
            return update.executeUpdate();
        }
    }

    private void invalidate(List<String> hashes) {
        if (hashes.isEmpty()) {
            return;
        }
        cache.invalidate(hashes);
        if (transactions.getTransactionKey() != null) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        cache.invalidate(hashes);
                        cluster.broadcast(hashes);
                    }
                }
            });
        }
    }
}
