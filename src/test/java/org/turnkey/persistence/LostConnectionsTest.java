package org.turnkey.persistence;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LostConnectionsTest {

    private static final SQLException CLOSED = new SQLException("This connection has been closed.", "08003");
    private static final SQLException SYNTAX = new SQLException("syntax error", "42601");

    /** A physical connection whose statements throw the given error, as does commit(). */
    private static Connection physical(SQLException statementError) {
        PreparedStatement statement = (PreparedStatement) Proxy.newProxyInstance(
                LostConnectionsTest.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    throw statementError;
                });
        return (Connection) Proxy.newProxyInstance(LostConnectionsTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "prepareStatement" -> statement;
                    case "commit" -> throw CLOSED;
                    default -> null;
                });
    }

    @Test
    void lostConnectionInAStatementIsUnchecked() throws SQLException {
        PreparedStatement statement = LostConnections.watch(physical(CLOSED)).prepareStatement("SELECT 1");
        var lost = assertThrows(LostConnections.ConnectionLost.class, statement::executeQuery);
        assertSame(CLOSED, lost.getCause());
    }

    @Test
    void otherStatementErrorsStaySqlExceptions() throws SQLException {
        PreparedStatement statement = LostConnections.watch(physical(SYNTAX)).prepareStatement("SELECT 1");
        assertSame(SYNTAX, assertThrows(SQLException.class, statement::executeQuery));
    }

    @Test
    void connectionMethodsThePoolCallsKeepTheirSqlException() {
        Connection connection = LostConnections.watch(physical(CLOSED));
        assertSame(CLOSED, assertThrows(SQLException.class, connection::commit));
    }

    @Test
    void proxiesCompareByIdentity() {
        Connection connection = LostConnections.watch(physical(CLOSED));
        assertTrue(connection.equals(connection));
        assertNotEquals(connection, LostConnections.watch(physical(CLOSED)));
        assertEquals(System.identityHashCode(connection), connection.hashCode());
    }
}
