package org.turnkey.persistence;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pool's physical data source: H2 or PostgreSQL, chosen by the JDBC URL at run time, so the
 * same WAR runs on the embedded file database by default and on PostgreSQL when
 * {@code TURNKEY_DB_URL} says so. The application server pools and validates its connections.
 * URL, user and password are the application's MicroProfile Config keys {@code turnkey.db.*},
 * read here rather than in web.xml, where Payara's schema check refuses {@code ${MPCONFIG=...}}
 * as a URL and WildFly would not expand it. They are read once, so a change takes effect when the
 * application is redeployed.
 *
 * <p>An H2 URL gets {@code WRITE_DELAY=0} unless it names a write delay itself (see
 * {@link #durableH2Url}): a 200 is sent after the commit, and with H2's default delay of
 * 500 ms the commit would reach the file up to half a second later, so a killed process would
 * lose acknowledged tokens and accounts. docs/durability.md says what each database guarantees.
 */
public class TurnkeyDataSource implements DataSource {

    private record Settings(String url, String user, String password) {
    }

    /**
     * WildFly (whose class loaders are JBoss Modules') pools these connections without
     * validation; Payara validates them and gets them unwrapped, exactly as the driver made them.
     */
    private static final boolean WATCH_FOR_LOST_CONNECTIONS =
            TurnkeyDataSource.class.getClassLoader().getClass().getName().startsWith("org.jboss.modules.");

    private static final Logger LOG = Logger.getLogger(TurnkeyDataSource.class.getName());
    private static final Pattern WRITE_DELAY = Pattern.compile(";\\s*WRITE_DELAY\\s*=([^;]*)", Pattern.CASE_INSENSITIVE);

    private volatile Settings settings;
    private int loginTimeout;
    private PrintWriter logWriter;

    private Settings settings() {
        Settings read = settings;
        if (read == null) {
            // The application's own config, whichever pool thread asks first.
            Config config = ConfigProvider.getConfig(TurnkeyDataSource.class.getClassLoader());
            read = new Settings(value(config, "turnkey.db.url"), value(config, "turnkey.db.user"),
                    value(config, "turnkey.db.password"));
            String delay = read.url().startsWith("jdbc:h2:") ? writeDelay(read.url()) : null;
            if (delay != null && !delay.equals("0")) {
                LOG.warning("turnkey.db.url sets H2's WRITE_DELAY=" + delay + ": a crash loses the commits of"
                        + " up to that many milliseconds, including requests already answered 200 (docs/durability.md)");
            }
            settings = read;
        }
        return read;
    }

    private static String value(Config config, String key) {
        return config.getOptionalValue(key, String.class).orElse("");
    }

    private DataSource target(String user, String password) throws SQLException {
        String url = settings().url();
        if (url.isBlank()) {
            throw new SQLException("No JDBC URL configured for Turnkey (turnkey.db.url / TURNKEY_DB_URL)");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            pg.setUser(user);
            pg.setPassword(password);
            pg.setLoginTimeout(loginTimeout);
            return pg;
        }
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(durableH2Url(url));
            h2.setUser(user);
            h2.setPassword(password);
            return h2;
        }
        throw new SQLException("Unsupported JDBC URL: expected jdbc:postgresql: or jdbc:h2:");
    }

    /**
     * The H2 URL with {@code WRITE_DELAY=0} added, unless it sets {@code WRITE_DELAY} already.
     * With a delay of 0, H2's MVStore writes each commit to the file (the OS's page cache, no
     * fsync) before the commit returns, so a committed transaction survives the process being
     * killed; with any other delay, a background thread writes commits at most that many
     * milliseconds later, and whatever was not yet written is lost with the process. An operator
     * who names a delay has chosen that trade; Turnkey warns when it first reads the URL.
     */
    static String durableH2Url(String url) {
        return writeDelay(url) == null ? url + ";WRITE_DELAY=0" : url;
    }

    /** The {@code WRITE_DELAY} an H2 URL names, or null. */
    static String writeDelay(String url) {
        Matcher delay = WRITE_DELAY.matcher(url);
        return delay.find() ? delay.group(1).trim() : null;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pooled(target(settings().user(), settings().password()).getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        if (user == null || user.isBlank()) {
            return getConnection();
        }
        return pooled(target(user, password).getConnection());
    }

    private static Connection pooled(Connection physical) {
        return WATCH_FOR_LOST_CONNECTIONS ? LostConnections.watch(physical) : physical;
    }

    @Override
    public PrintWriter getLogWriter() { return logWriter; }

    @Override
    public void setLogWriter(PrintWriter out) { this.logWriter = out; }

    @Override
    public void setLoginTimeout(int seconds) { this.loginTimeout = seconds; }

    @Override
    public int getLoginTimeout() { return loginTimeout; }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper for " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
