package org.turnkey.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct reads of a deployment's database, for facts HTTP cannot show (how many rows a device holds). */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static long count(String deployment, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(Deployments.jdbcUrl(deployment), "turnkey", "turnkey");
             PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String string(String deployment, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(Deployments.jdbcUrl(deployment), "turnkey", "turnkey");
             PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Token rows (pairs) a device holds, live or kept as tombstones. */
    public static long tokenRows(String deployment, String userId, String deviceId) {
        return count(deployment, "SELECT COUNT(*) FROM token_pairs p JOIN auth_sessions s ON p.session_id = s.id"
                + " WHERE s.user_id = ? AND s.device_id = ?", userId, deviceId);
    }
}
