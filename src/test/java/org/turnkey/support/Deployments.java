package org.turnkey.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place test deployments are built: the real {@code target/turnkey.war}, with its
 * MicroProfile Config defaults replaced by the settings a group of tests needs. In the
 * PostgreSQL run ({@link TestPostgres}) each deployment gets its own PostgreSQL database instead
 * of an H2 file.
 */
public final class Deployments {

    private static final Map<String, String> JDBC_URLS = new java.util.concurrent.ConcurrentHashMap<>();

    private Deployments() {
    }

    /** The JDBC URL a deployment of that name uses, so tests can look at rows directly. */
    public static String jdbcUrl(String name) {
        return JDBC_URLS.get(name);
    }

    /** Registration on, default lifetimes, its own fresh H2 database. */
    public static WebArchive standard() {
        return war("standard", Map.of("turnkey.registration.enabled", "true"));
    }

    public static WebArchive war(String name, Map<String, String> settings) {
        File built = new File(System.getProperty("turnkey.war", "target/turnkey.war"));
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, built);
        Map<String, String> config = new LinkedHashMap<>();
        String dataDir = new File("target/it-data/" + name + "-" + System.currentTimeMillis()).getAbsolutePath();
        config.put("turnkey.data-dir", dataDir);
        // AUTO_SERVER lets the test JVM open the same H2 file while Payara holds it.
        String url = "jdbc:h2:file:" + dataDir + "/turnkey;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
        if (TestPostgres.enabled()) {
            url = TestPostgres.createDatabase(name);
        }
        JDBC_URLS.put(name, url);
        config.put("turnkey.db.url", url);
        config.put("turnkey.db.user", "turnkey");
        config.put("turnkey.db.password", "turnkey");
        config.put("turnkey.ratelimit.enabled", "false");
        config.putAll(settings);
        // The WAR's own file stays in front (settings such as metric buckets); later keys win.
        StringBuilder properties = new StringBuilder(defaults(war)).append('\n');
        config.forEach((k, v) -> properties.append(k).append('=').append(v).append('\n'));
        war.delete("WEB-INF/classes/META-INF/microprofile-config.properties");
        war.addAsResource(new StringAsset(properties.toString()), "META-INF/microprofile-config.properties");
        return war;
    }

    private static String defaults(WebArchive war) {
        try (InputStream in = war.get("WEB-INF/classes/META-INF/microprofile-config.properties").getAsset().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
