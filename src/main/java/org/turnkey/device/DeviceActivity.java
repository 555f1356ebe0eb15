package org.turnkey.device;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.persistence.Database;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps {@code last_seen_ts} and {@code last_seen_ip} of devices current without touching the
 * database on the request path: {@link LastSeenThrottle} lets through one sighting per device
 * per {@code turnkey.device.last-seen-interval} (default one minute) on each instance, or at once
 * when the device's address changes, and those sightings are written in batches within a
 * second. Reading devices writes the pending sightings first, so a client sees its own activity.
 */
@ApplicationScoped
public class DeviceActivity {

    private static final Logger LOG = Logger.getLogger(DeviceActivity.class.getName());

    /** Beyond this many unwritten sightings (a long database outage) new ones are dropped. */
    private static final int MAX_PENDING = 100_000;

    /** Rows per set-based statement: bounds the statement's arrays, not the batch. */
    private static final int STATEMENT_ROWS = 5_000;

    /** How often the writer looks at the pending sightings: sets the batch size at high rates. */
    private static final long CHECK_MS = 10;

    /** Few sightings wait about this long, and during an outage the writer retries this often. */
    private static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * This many are written without waiting for the second. With many active devices the
     * sightings come to thousands a second, and one large batch holds a database core for tens
     * of milliseconds, a stall every request on a small machine feels; small batches every
     * {@value #CHECK_MS} ms hold it well under a millisecond at a time for the same rows
     * (docs/last-seen.md).
     */
    static final int EARLY_ROWS = 50;

    @Inject
    TurnkeyConfig config;

    @Inject
    Clock clock;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private LastSeenThrottle throttle;
    /** Each device at most once: its entry is written with the newest values it holds then. */
    private final Set<LastSeenThrottle.Sighting> pending = ConcurrentHashMap.newKeySet();
    /**
     * One batch at a time: a reader that writes the pending sightings first must also wait for
     * the batch the writer has taken, or it could read the devices before that commits.
     */
    private final Object writing = new Object();
    private ScheduledFuture<?> writer;
    private volatile boolean failing;
    /** Only the writer uses it, one run at a time, so it needs no lock. */
    private long lastAttempt = System.nanoTime();

    @PostConstruct
    void init() {
        // As many devices as tokens the cache holds: the operator sizes it to the sessions in use.
        throttle = new LastSeenThrottle(config.deviceLastSeenInterval().toMillis(), config.accessTokenCacheSize());
        writer = scheduler.scheduleWithFixedDelay(this::writeWhenDue, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        writer.cancel(false);
        writeQuietly();
    }

    /**
     * Records that a device made a request from {@code ip} with {@code userAgent} (null if it
     * sent none); never fails or slows the request.
     */
    public void seen(String userId, String deviceId, String ip, String userAgent) {
        LastSeenThrottle.Sighting due = throttle.due(userId, deviceId, ip, userAgent, clock.millis());
        if (due == null) {
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            throttle.forget(userId, deviceId);
            return;
        }
        pending.add(due);
    }

    /**
     * Writes every pending sighting now, outside any transaction of the caller (a separate
     * connection, so a caller's rollback cannot undo them and they cannot wait on its locks).
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void writePending() {
        try {
            write();
        } catch (SQLException e) {
            LOG.warning("Could not record device activity: " + fault(e));
        }
    }

    /** Whether the writer should write the pending sightings now. */
    static boolean due(int pendingRows, long sinceLastAttemptNanos, boolean failing) {
        if (pendingRows == 0) {
            return false;
        }
        return sinceLastAttemptNanos >= MAX_DELAY_NANOS || !failing && pendingRows >= EARLY_ROWS;
    }

    private void writeWhenDue() {
        long now = System.nanoTime();
        if (due(pending.size(), now - lastAttempt, failing)) {
            lastAttempt = now;
            writeQuietly();
        }
    }

    private void writeQuietly() {
        try {
            write();
            if (failing) {
                failing = false;
                LOG.info("Recording device activity again");
            }
        } catch (SQLException | RuntimeException e) {
            // Once per outage: the pending sightings stay queued and are retried every second.
            if (!failing) {
                failing = true;
                LOG.warning("Could not record device activity, will retry: " + fault(e));
            }
        }
    }

    /** The kind of failure only: a driver's message can quote the batch's bound values. */
    private static String fault(Exception e) {
        return e instanceof SQLException sql ? "SQLState " + sql.getSQLState() : e.getClass().getName();
    }

    private void write() throws SQLException {
        synchronized (writing) {
            if (!pending.isEmpty()) {
                writeBatch();
            }
        }
    }

    private void writeBatch() throws SQLException {
        List<LastSeenThrottle.Sighting> taken = new ArrayList<>(pending.size());
        List<LastSeenThrottle.Row> batch = new ArrayList<>(pending.size());
        // Taken out before its values are read: a sighting after the read queues the device again.
        for (Iterator<LastSeenThrottle.Sighting> it = pending.iterator(); it.hasNext(); ) {
            LastSeenThrottle.Sighting sighting = it.next();
            it.remove();
            taken.add(sighting);
            batch.add(sighting.row());
        }
        // One lock order for every writer, so two instances' batches cannot deadlock each other.
        batch.sort(Comparator.comparing(LastSeenThrottle.Row::userId).thenComparing(LastSeenThrottle.Row::deviceId));
        try {
            update(batch);
        } catch (SQLException | RuntimeException e) {
            pending.addAll(taken);
            throw e;
        }
    }

    private void update(List<LastSeenThrottle.Row> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if ("PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
                    for (int from = 0; from < batch.size(); from += STATEMENT_ROWS) {
                        updateAsSet(connection, batch.subList(from, Math.min(batch.size(), from + STATEMENT_ROWS)));
                    }
                } else {
                    updateRowByRow(connection, batch);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * One statement for up to {@value #STATEMENT_ROWS} devices: PostgreSQL parses, plans and
     * round-trips once per batch instead of once per row, which costs it less CPU per row.
     */
    private static void updateAsSet(Connection connection, List<LastSeenThrottle.Row> rows) throws SQLException {
        int n = rows.size();
        String[] users = new String[n];
        String[] devices = new String[n];
        Long[] times = new Long[n];
        String[] ips = new String[n];
        String[] agents = new String[n];
        for (int i = 0; i < n; i++) {
            LastSeenThrottle.Row s = rows.get(i);
            users[i] = s.userId();
            devices[i] = s.deviceId();
            times[i] = s.ts();
            ips[i] = s.ip();
            agents[i] = s.userAgent();
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE devices d"
                + " SET last_seen_ts = s.ts, last_seen_ip = s.ip, last_seen_user_agent = s.agent"
                + " FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[])"
                + " AS s(user_id, device_id, ts, ip, agent)"
                + " WHERE d.user_id = s.user_id AND d.device_id = s.device_id"
                // Another instance may have written a newer sighting already.
                + " AND (d.last_seen_ts IS NULL OR d.last_seen_ts <= s.ts)")) {
            update.setArray(1, connection.createArrayOf("varchar", users));
            update.setArray(2, connection.createArrayOf("varchar", devices));
            update.setArray(3, connection.createArrayOf("bigint", times));
            update.setArray(4, connection.createArrayOf("varchar", ips));
            update.setArray(5, connection.createArrayOf("varchar", agents));
            update.executeUpdate();
        }
    }

    private static void updateRowByRow(Connection connection, List<LastSeenThrottle.Row> rows) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE devices"
                + " SET last_seen_ts = ?, last_seen_ip = ?, last_seen_user_agent = ? WHERE user_id = ? AND device_id = ?"
                + " AND (last_seen_ts IS NULL OR last_seen_ts <= ?)")) {
            for (LastSeenThrottle.Row s : rows) {
                update.setLong(1, s.ts());
                update.setString(2, s.ip());
                update.setString(3, s.userAgent());
                update.setString(4, s.userId());
                update.setString(5, s.deviceId());
                update.setLong(6, s.ts());
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}
