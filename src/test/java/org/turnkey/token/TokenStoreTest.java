package org.turnkey.token;

import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.support.MapConfig;
import org.turnkey.support.MutableClock;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refresh path's statements in {@link TokenStore}, on an embedded H2 with Turnkey's own
 * migrations (the ITs run the same statements on PostgreSQL): the lock a refresh takes is the
 * device's row and nothing else (the lock order of TokenStore's javadoc; spec "Refreshing access
 * tokens": concurrent refreshes of one token get the same successor), the pair is read with its
 * successor, and the first use of a pair revokes its parent and marks it used in one statement
 * without overwriting a revocation that came first.
 */
class TokenStoreTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final long T0 = Instant.parse("2026-12-03T12:00:00Z").toEpochMilli();

    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));
    private JdbcDataSource h2;
    /** The connection of the "transaction" under test: TokenStore's getConnection hands it out, close does nothing. */
    private Connection transaction;
    private AccessTokenCache cache;
    private TokenStore store;

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:tokenstore" + DATABASES.incrementAndGet()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=300");
        h2.setUser("sa");
        Flyway.configure(TokenStoreTest.class.getClassLoader()).dataSource(h2).locations("classpath:db/migration")
                .load().migrate();
        transaction = h2.getConnection();
        transaction.setAutoCommit(false);
        cache = new AccessTokenCache(100, clock, () -> 0L, Runnable::run);
        store = new TokenStore();
        store.dataSource = holding(transaction);
        store.cache = cache;
        store.transactions = outsideTransactions();
        execute("INSERT INTO users (user_id, created_ts) VALUES ('@a:test', 0)");
        execute("INSERT INTO devices (user_id, device_id, created_ts) VALUES ('@a:test', 'DEV', 0)");
        execute("INSERT INTO auth_sessions (id, user_id, device_id, created_ts) VALUES (1, '@a:test', 'DEV', 0)");
        transaction.commit();
    }

    @AfterEach
    void close() throws SQLException {
        transaction.rollback();
        execute("SHUTDOWN");
    }

    @Test
    void aRefreshLocksTheDeviceRowAndNothingElse() throws SQLException {
        pair(10, 1, "a1", "r1", null, true, null);
        pair(11, 2, "a2", "r2", 10L, false, null);
        transaction.commit();

        assertTrue(store.byRefreshHashLocked("r2").isPresent());

        try (Connection other = h2.getConnection()) {
            other.setAutoCommit(false);
            // The device's row is locked: a login, logout or other refresh of it waits.
            assertThrows(SQLException.class, () -> update(other, "UPDATE devices SET display_name = 'x'"
                    + " WHERE device_id = 'DEV'"));
            other.rollback();
            // The pair, its parent and its session are only read, as the lock order requires.
            assertEquals(1, update(other, "UPDATE token_pairs SET rotation_salt = 'x' WHERE id = 11"));
            assertEquals(1, update(other, "UPDATE token_pairs SET rotation_salt = 'x' WHERE id = 10"));
            assertEquals(1, update(other, "UPDATE auth_sessions SET scope = 'x' WHERE id = 1"));
            other.rollback();
        }
    }

    @Test
    void theRefreshStatementsFindTheirRowsByIndexNotByScanning() throws SQLException {
        // A scan of devices or token_pairs would cost every refresh time in proportion to all
        // sessions: H2 reads a whole table for a row value compared with a sub-select.
        String lock = plan(TokenStore.LOCK_BY_REFRESH_HASH);
        assertTrue(lock.matches("(?s).*\"devices\"\\s*/\\* [\\w.]+: user_id = .*"), lock);
        String state = plan(TokenStore.REFRESH_STATE_QUERY);
        assertTrue(state.matches("(?s).*\"p\"\\s*/\\* [\\w.]+: refresh_hash = .*"), state);
        assertTrue(state.matches("(?s).*\"c\"\\s*/\\* [\\w.]+: session_id = .*"), state);
    }

    @Test
    void anUnknownRefreshTokenLocksNothing() throws SQLException {
        pair(10, 1, "a1", "r1", null, true, null);
        transaction.commit();

        assertTrue(store.byRefreshHashLocked("unknown").isEmpty());

        try (Connection other = h2.getConnection()) {
            other.setAutoCommit(false);
            assertEquals(1, update(other, "UPDATE devices SET display_name = 'x' WHERE device_id = 'DEV'"));
            other.rollback();
        }
    }

    @Test
    void theRefreshStateCarriesThePairItsSessionItsLiveParentAndItsSuccessor() throws SQLException {
        pair(10, 1, "a1", "r1", null, true, null);
        pair(11, 2, "a2", "r2", 10L, false, null);
        transaction.commit();

        TokenStore.RefreshState first = store.byRefreshHashLocked("r1").orElseThrow();
        assertEquals(10, first.presented().pair().id());
        assertNull(first.presented().liveParentAccessHash());
        assertEquals("@a:test", first.presented().pair().session().userId());
        assertEquals("DEV", first.presented().pair().session().deviceId());
        assertNotNull(first.successor());
        assertEquals(11, first.successor().id());
        assertEquals("r2", first.successor().refreshHash());
        assertFalse(first.successor().used());

        TokenStore.RefreshState newest = store.byRefreshHashLocked("r2").orElseThrow();
        assertEquals(11, newest.presented().pair().id());
        assertEquals("a1", newest.presented().liveParentAccessHash());
        assertNull(newest.successor());
    }

    @Test
    void theFirstUseMarksThePairUsedRevokesItsParentAndEvictsTheParentsAccessToken() throws SQLException {
        pair(10, 1, "a1", "r1", null, true, null);
        pair(11, 2, "a2", "r2", 10L, false, null);
        transaction.commit();
        cache.put("a1", new AccessTokenCache.Entry("@a:test", "DEV", 1, 10, null, false, false), cache.stamp("a1"));

        TokenStore.RefreshState state = store.byRefreshHashLocked("r2").orElseThrow();
        store.confirmUse(state, 4, T0 + 5);
        transaction.commit();

        assertEquals("true|null|null", row(11));
        assertEquals("true|ROTATED|" + (T0 + 5), row(10));
        assertNull(cache.get("a1"));
    }

    @Test
    void theFirstUseLeavesAParentThatWasRevokedFirstAsItWas() throws SQLException {
        pair(10, 1, "a1", "r1", null, true, null);
        pair(11, 2, "a2", "r2", 10L, false, null);
        transaction.commit();
        // Read while the parent was live, as an access token's first use reads without a lock;
        // then a re-login revokes the parent before the use takes the device's lock.
        TokenStore.PairState read = store.byAccessHashState("a2").orElseThrow();
        assertEquals("a1", read.liveParentAccessHash());
        execute("UPDATE token_pairs SET revoked = 'RELOGIN', revoked_ts = " + (T0 + 1) + " WHERE id = 10");
        transaction.commit();

        store.confirmUse(read, 4, T0 + 5);
        transaction.commit();

        assertEquals("true|null|null", row(11));
        assertEquals("true|RELOGIN|" + (T0 + 1), row(10));
    }

    @Test
    void aChainOfRefreshesStaysBoundedAndStillKnowsItsRecentlyRotatedTokens() throws SQLException {
        RefreshService refreshes = new RefreshService();
        refreshes.store = store;
        refreshes.policy = new RefreshTokenPolicy(new TurnkeyConfig(MapConfig.of()), clock);
        refreshes.softLogout = new SoftLogoutPolicy();
        String token = "refresh-token-of-the-login";
        pair(10, 1, "a1", Tokens.hash(token), null, true, null);
        transaction.commit();
        List<String> presented = new ArrayList<>();
        int most = 0;
        for (int i = 0; i < 60; i++) {
            clock.advance(Duration.ofSeconds(1));
            IssuedTokens issued = refreshes.refresh(token, clock.instant());
            transaction.commit();
            presented.add(token);
            token = issued.refreshToken();
            long rows = count("SELECT COUNT(*) FROM token_pairs");
            assertTrue(rows <= refreshes.policy.maxPairsPerSession(), "pairs after refresh " + (i + 1) + ": " + rows);
            most = Math.max(most, (int) rows);
        }
        // Pruned every few generations, not at each: the bound is reached, and never passed.
        assertEquals(refreshes.policy.maxPairsPerSession(), most);
        // The newest presented token's pair is in use; the three before it are known as rotated,
        // so presenting one is told apart as a duplicate or a replay, never taken for unknown.
        int last = presented.size() - 1;
        assertNull(store.byRefreshHashLocked(Tokens.hash(presented.get(last))).orElseThrow().presented().pair().revoked());
        for (int back = 1; back <= 3; back++) {
            TokenPair rotated = store.byRefreshHashLocked(Tokens.hash(presented.get(last - back))).orElseThrow()
                    .presented().pair();
            assertEquals(TokenPair.Revocation.ROTATED, rotated.revoked(), back + " back");
        }
        transaction.rollback();
    }

    private long count(String sql) throws SQLException {
        try (Connection other = h2.getConnection(); Statement statement = other.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            assertTrue(row.next());
            return row.getLong(1);
        }
    }

    private String plan(String sql) throws SQLException {
        try (PreparedStatement explain = transaction.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 1; i <= explain.getParameterMetaData().getParameterCount(); i++) {
                explain.setString(i, "hash");
            }
            try (ResultSet row = explain.executeQuery()) {
                assertTrue(row.next());
                return row.getString(1);
            }
        }
    }

    private void pair(long id, int generation, String accessHash, String refreshHash, Long parentId, boolean used,
                      String revoked) throws SQLException {
        try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO token_pairs (id, session_id,"
                + " generation, access_hash, refresh_hash, rotation_salt, parent_id, used, revoked, created_ts)"
                + " VALUES (?, 1, ?, ?, ?, 'salt', ?, ?, ?, 0)")) {
            insert.setLong(1, id);
            insert.setInt(2, generation);
            insert.setString(3, accessHash);
            insert.setString(4, refreshHash);
            insert.setObject(5, parentId);
            insert.setBoolean(6, used);
            insert.setString(7, revoked);
            insert.executeUpdate();
        }
    }

    /** "used|revoked|revoked_ts" of a pair, read by another connection (what was committed). */
    private String row(long id) throws SQLException {
        try (Connection other = h2.getConnection();
             PreparedStatement query = other.prepareStatement(
                     "SELECT used, revoked, revoked_ts FROM token_pairs WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "pair " + id);
                return row.getBoolean(1) + "|" + row.getString(2) + "|" + row.getObject(3);
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = transaction.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    /** A data source that hands out the one connection of the test's transaction, which its close leaves open. */
    private static DataSource holding(Connection connection) {
        Connection handle = (Connection) Proxy.newProxyInstance(TokenStoreTest.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new DataSource() {
            @Override
            public Connection getConnection() {
                return handle;
            }

            @Override
            public Connection getConnection(String user, String password) {
                return handle;
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> type) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> type) {
                return false;
            }
        };
    }

    /** No JTA here: the store evicts at once and registers nothing for after the commit. */
    private static TransactionSynchronizationRegistry outsideTransactions() {
        return new TransactionSynchronizationRegistry() {
            @Override
            public Object getTransactionKey() {
                return null;
            }

            @Override
            public void putResource(Object key, Object value) {
            }

            @Override
            public Object getResource(Object key) {
                return null;
            }

            @Override
            public void registerInterposedSynchronization(Synchronization sync) {
                throw new IllegalStateException("no transaction");
            }

            @Override
            public int getTransactionStatus() {
                return jakarta.transaction.Status.STATUS_NO_TRANSACTION;
            }

            @Override
            public void setRollbackOnly() {
            }

            @Override
            public boolean getRollbackOnly() {
                return false;
            }
        };
    }
}
