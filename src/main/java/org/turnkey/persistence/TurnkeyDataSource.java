package org.turnkey.persistence;

import org.eclipse.microprofile.config.ConfigProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The pool's physical data source: H2 or PostgreSQL, chosen by the JDBC URL at run time, so the
 * same WAR runs on the embedded file database by default and on PostgreSQL when
 * {@code TURNKEY_DB_URL} says so. The application server pools and validates its connections.
 * Payara expands web.xml's {@code ${MPCONFIG=key}} settings before they get here; WildFly does
 * not, and this class looks the key up itself.
 */
public class TurnkeyDataSource implements DataSource {

    private String url;
    private String user = "";
    private String password = "";
    private int loginTimeout;
    private PrintWriter logWriter;

    public void setUrl(String url) { this.url = url; }
    public void setURL(String url) { this.url = url; }
    public String getUrl() { return url; }
    public void setUser(String user) { this.user = user == null ? "" : user; }
    public String getUser() { return user; }
    public void setPassword(String password) { this.password = password == null ? "" : password; }

    private DataSource target(String user, String password) throws SQLException {
        String url = setting(this.url, "turnkey.db.url");
        user = setting(user, "turnkey.db.user");
        password = setting(password, "turnkey.db.password");
        if (url == null || url.isBlank()) {
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
            h2.setURL(url);
            h2.setUser(user);
            h2.setPassword(password);
            return h2;
        }
        throw new SQLException("Unsupported JDBC URL: expected jdbc:postgresql: or jdbc:h2:");
    }

    /**
     * The server's value, or the key's MicroProfile Config value when the server left it unset
     * or unexpanded (WildFly's pool substitutes {@code ${...}} itself and passes an empty string).
     */
    static String setting(String given, String key) {
        if (given != null && !given.isBlank() && !given.startsWith("${")) {
            return given;
        }
        // The application's own config, whichever pool thread asks.
        return ConfigProvider.getConfig(TurnkeyDataSource.class.getClassLoader())
                .getOptionalValue(key, String.class).orElse("");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return target(user, password).getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return target(user, password).getConnection();
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
