package org.turnkey.health;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;

import java.io.File;
import java.net.URL;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What operators scrape: MicroProfile Health and the Prometheus metrics of SecurityEvents. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OperationsIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.standard();
    }

    @ArquillianResource
    URL base;

    @Test
    void readinessReportsTheDatabaseUpWithItsMigratedSchema() {
        MatrixClient.Reply ready = new MatrixClient(base).get("/health/ready");
        assertEquals(200, ready.status(), ready.toString());
        assertEquals("UP", ready.string("status"));
        JsonObject database = check(ready, "database");
        assertEquals("UP", database.getString("status"));
        assertEquals(newestMigration(), database.getJsonObject("data").getString("schema"));
    }

    @Test
    void livenessIsUp() {
        MatrixClient.Reply live = new MatrixClient(base).get("/health/live");
        assertEquals(200, live.status(), live.toString());
        assertEquals("UP", live.string("status"));
        assertEquals("UP", check(live, "turnkey").getString("status"));
    }

    @Test
    void loginsAndTokenChecksShowInPrometheusMetrics() {
        MatrixClient client = new MatrixClient(base);
        String user = MatrixClient.unique("metrics");
        assertEquals(200, client.register(user, "metrics-password-1").status());
        double logins = metric(client, "turnkey_logins_total{mp_scope=\"application\",result=\"success\"}");
        double checks = metric(client, "turnkey_access_token_validation_seconds_count{mp_scope=\"application\"}");

        MatrixClient.Reply login = client.login(user, "metrics-password-1");
        assertEquals(200, client.whoami(login.string("access_token")).status());

        assertEquals(logins + 1, metric(client, "turnkey_logins_total{mp_scope=\"application\",result=\"success\"}"));
        assertEquals(checks + 1, metric(client, "turnkey_access_token_validation_seconds_count{mp_scope=\"application\"}"));
        String text = client.get("/metrics").raw();
        assertTrue(text.contains("turnkey_access_token_validation_seconds_bucket{mp_scope=\"application\",le=\"0.001\"}"),
                "latency is a histogram with buckets in seconds");
    }

    /** The version of the newest Flyway migration in the sources (V2__x.sql is "2"). */
    private static String newestMigration() {
        String[] files = new File("src/main/resources/db/migration").list();
        assertNotNull(files);
        return Arrays.stream(files).filter(f -> f.matches("V\\d+__.*\\.sql"))
                .map(f -> Integer.parseInt(f.substring(1, f.indexOf("__"))))
                .max(Integer::compare).map(String::valueOf).orElseThrow();
    }

    private static JsonObject check(MatrixClient.Reply health, String name) {
        return health.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + health));
    }

    /** The value of one Prometheus sample, 0 while the metric has not been created yet. */
    private static double metric(MatrixClient client, String sample) {
        MatrixClient.Reply metrics = client.get("/metrics");
        assertEquals(200, metrics.status());
        return metrics.raw().lines().filter(line -> line.startsWith(sample + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(sample.length() + 1).trim())).orElse(0.0);
    }
}
