package org.turnkey.persistence;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;

/**
 * Turnkey's one data source and its schema. The data source is defined in web.xml; its URL,
 * user and password come from MicroProfile Config ({@code turnkey.db.*}, or
 * {@code TURNKEY_DB_URL} ..., read by {@link TurnkeyDataSource}); the default is an H2 file under
 * {@code turnkey.data-dir}. Flyway migrates the schema before anything else runs; EclipseLink
 * never generates DDL. On Payara, validation and fail-all let the pool recover by itself after
 * the database comes back; validating a connection at most every two seconds spares a round
 * trip per transaction.
 */
@ApplicationScoped
public class Database {

    public static final String JNDI_NAME = "java:app/jdbc/turnkey";

    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    @Resource(lookup = JNDI_NAME)
    DataSource dataSource;

    private volatile String schemaVersion;

    void migrate(@Observes @Priority(1) @Initialized(ApplicationScoped.class) Object started) {
        Flyway flyway = Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        var result = flyway.migrate();
        schemaVersion = flyway.info().current().getVersion().getVersion();
        LOG.info("Database schema at version " + schemaVersion + " (" + result.migrationsExecuted
                + " migrations applied)");
    }

    /** The schema version this server migrated to at startup, or null before. */
    public String schemaVersion() {
        return schemaVersion;
    }

    /** The newest schema version applied in the database now; throws while it cannot be reached. */
    public String appliedSchemaVersion() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM flyway_schema_history"
                     + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
