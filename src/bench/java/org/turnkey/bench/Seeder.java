package org.turnkey.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Writes live sessions straight into Turnkey's PostgreSQL tables with COPY: per session a
 * device, an auth session and a non-expiring, non-refreshable token pair; one user per ten
 * sessions. Session {@code i}'s access token is derived from {@code i}, so the load generator
 * can present it while the database holds only its SHA-256, as for a real login.
 */
final class Seeder {

    static final int SESSIONS_PER_USER = 10;
    private static final int CHUNK = 50_000;
    private static final byte[] KEY = "turnkey-bench-seed".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final String url;
    private final String user;
    private final String password;

    Seeder(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The access token of seeded session {@code i}: 256 bits, like {@code Tokens.newAccessToken()}. */
    static String accessToken(long i) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return "tka_" + B64URL.encodeToString(mac.doFinal(Long.toString(i).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String userId(long session) {
        return "@bench-u" + session / SESSIONS_PER_USER + ":localhost";
    }

    /** Seeds sessions {@code from} (a multiple of ten) to {@code to} - 1; returns the seconds it took. */
    double seed(long from, long to, String passwordPhc) throws SQLException {
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (long chunk = from; chunk < to; chunk += CHUNK) {
                long end = Math.min(to, chunk + CHUNK);
                StringBuilder users = new StringBuilder();
                StringBuilder devices = new StringBuilder();
                StringBuilder sessions = new StringBuilder();
                StringBuilder pairs = new StringBuilder();
                for (long i = chunk; i < end; i++) {
                    String userId = userId(i);
                    if (i % SESSIONS_PER_USER == 0) {
                        users.append(userId).append('\t').append(passwordPhc).append("\tf\tf\tf\t").append(now).append('\n');
                    }
                    String deviceId = "BENCH" + i;
                    // Negative ids: Turnkey draws its own ids from 1..Long.MAX_VALUE, so these never collide.
                    long id = -(i + 1);
                    devices.append(userId).append('\t').append(deviceId).append("\t\\N\t\\N\t\\N\t").append(now).append('\n');
                    sessions.append(id).append('\t').append(userId).append('\t').append(deviceId)
                            .append("\t\\N\t\\N\t").append(now).append('\n');
                    String hash = HexFormat.of().formatHex(sha256.digest(accessToken(i).getBytes(StandardCharsets.UTF_8)));
                    pairs.append(id).append('\t').append(id).append("\t1\t").append(hash)
                            .append("\t\\N\t\\N\t\\N\tt\t\\N\t").append(now).append("\t\\N\t\\N\n");
                }
                copy.copyIn("COPY users (user_id, password_hash, admin, deactivated, locked, created_ts) FROM STDIN",
                        new StringReader(users.toString()));
                copy.copyIn("COPY devices (user_id, device_id, display_name, last_seen_ts, last_seen_ip, created_ts)"
                        + " FROM STDIN", new StringReader(devices.toString()));
                copy.copyIn("COPY auth_sessions (id, user_id, device_id, client_id, scope, created_ts) FROM STDIN",
                        new StringReader(sessions.toString()));
                copy.copyIn("COPY token_pairs (id, session_id, generation, access_hash, refresh_hash, rotation_salt,"
                        + " parent_id, used, revoked, created_ts, access_expires_ts, refresh_expires_ts) FROM STDIN",
                        new StringReader(pairs.toString()));
            }
            // The state autovacuum leaves on a server that grew slowly: planner statistics, hint bits
            // and visibility map set. Otherwise the first reads after seeding pay for writing them.
            try (Statement vacuum = c.createStatement()) {
                vacuum.execute("VACUUM ANALYZE users, devices, auth_sessions, token_pairs");
            }
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    long liveSessions() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT COUNT(*) FROM token_pairs WHERE revoked IS NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
