package org.turnkey.support;

import jakarta.json.JsonObject;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Registers an OAuth client by inserting its {@code oauth_clients} row directly, for the pages'
 * tests that need metadata the registration endpoint would refuse (hostile names and links: the
 * pages must not rely on that policy having held) or that are not about registration at all.
 * Ordinary clients come from {@link OAuthFixture#registerClient}.
 */
public final class OAuthClientRows {

    private OAuthClientRows() {
    }

    /** Inserts a client with this metadata (as the registration endpoint stores it) and returns its ID. */
    public static String insert(String deployment, JsonObject metadata) {
        String clientId = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        try (Connection c = DriverManager.getConnection(Deployments.jdbcUrl(deployment), "turnkey", "turnkey");
             PreparedStatement insert = c.prepareStatement("INSERT INTO oauth_clients (client_id, metadata_digest,"
                     + " metadata, application_type, client_name, client_uri, created_ts) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, clientId);
            insert.setString(2, UUID.randomUUID().toString());
            insert.setString(3, metadata.toString());
            insert.setString(4, metadata.getString("application_type", "web"));
            insert.setString(5, metadata.getString("client_name", null));
            insert.setString(6, metadata.getString("client_uri", null));
            insert.setLong(7, System.currentTimeMillis());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return clientId;
    }
}
