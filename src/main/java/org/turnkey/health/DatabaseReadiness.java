package org.turnkey.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.turnkey.persistence.Database;

import java.sql.SQLException;
import java.util.Objects;

/**
 * Ready while the database answers and holds the schema this server migrated to at startup, so a
 * load balancer stops sending requests that could only get 503 {@code M_UNKNOWN}.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Inject
    Database database;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        String expected = database.schemaVersion();
        try {
            String applied = database.appliedSchemaVersion();
            return response.status(expected != null && Objects.equals(expected, applied))
                    .withData("schema", String.valueOf(applied))
                    .build();
        } catch (SQLException | RuntimeException e) {
            // The exception class is enough to tell refused from timed out, and carries no secrets.
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
