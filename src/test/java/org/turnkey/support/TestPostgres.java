package org.turnkey.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The real PostgreSQL server of the {@code postgresql} failsafe run
 * ({@code -Dturnkey.it.database=postgresql}): one per test JVM on 127.0.0.1, started on first use,
 * with a fresh database for every deployment. Tests may stop it and start it again on the same
 * port and data directory to play a database outage.
 */
public final class TestPostgres {

    /** Owner of every test database; the server trusts loopback connections, so any password works. */
    public static final String USER = "turnkey";

    private static int databases;
    private static File dataDirectory;
    private static int port;
    private static EmbeddedPostgres server;
    private static boolean running;

    private TestPostgres() {
    }

    public static boolean enabled() {
        return "postgresql".equals(System.getProperty("turnkey.it.database"));
    }

    /** Creates an empty database owned by {@link #USER} and returns its JDBC URL. */
    public static synchronized String createDatabase(String name) {
        if (server == null) {
            dataDirectory = new File("target/it-data/postgresql-" + System.currentTimeMillis()).getAbsoluteFile();
            start();
            execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + USER + "'");
        }
        String database = "it_" + name.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + ++databases;
        execute("CREATE DATABASE " + database + " OWNER " + USER);
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Starts the server, again on the port and data directory it had before when it ran already. */
    public static synchronized void start() {
        if (running) {
            return;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(new File(dataDirectory + ".log")));
            if (port != 0) {
                builder.setPort(port);
            }
            server = builder.start();
            port = server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL in " + dataDirectory, e);
        }
        running = true;
    }

    /** Shuts the server down (fast mode: open connections are cut), keeping its data. */
    public static synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        running = false;
    }

    private static void execute(String sql) {
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + sql, e);
        }
    }
}
