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

    /** A physical connection whose statements throw the given error, as do commit() and setAutoCommit(). */
    private static Connection physical(SQLException statementError) {
        PreparedStatement statement = (PreparedStatement) Proxy.newProxyInstance(
                LostConnectionsTest.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    throw statementError;
                });
        return (Connection) Proxy.newProxyInstance(LostConnectionsTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "prepareStatement" -> statement;
                    case "commit", "setAutoCommit" -> throw CLOSED;
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

    /**
     * What a database restart does on WildFly: the first failure is in a call the pool makes
     * (setAutoCommit, to bring the connection in line before a statement or when it is returned).
     * That step must not go on failing, or the statement that makes the pool discard the
     * connection is never reached.
     */
    @Test
    void afterAFailureAsLostTheNextStatementIsRefusedAndStateCallsDoNothing() throws SQLException {
        Connection connection = LostConnections.watch(physical(CLOSED));
        assertSame(CLOSED, assertThrows(SQLException.class, () -> connection.setAutoCommit(false)));
        connection.setAutoCommit(true);
        connection.setReadOnly(false);
        assertThrows(LostConnections.ConnectionLost.class, () -> connection.prepareStatement("SELECT 1"));
        assertSame(CLOSED, assertThrows(SQLException.class, connection::commit));
    }

    @Test
    void aStatementLostMarksItsConnectionLost() throws SQLException {
        Connection connection = LostConnections.watch(physical(CLOSED));
        PreparedStatement statement = connection.prepareStatement("SELECT 1");
        assertThrows(LostConnections.ConnectionLost.class, statement::executeQuery);
        connection.setAutoCommit(true);
        assertThrows(LostConnections.ConnectionLost.class, () -> connection.prepareStatement("SELECT 1"));
    }

    @Test
    void otherErrorsDoNotMarkTheConnectionLost() throws SQLException {
        Connection connection = LostConnections.watch(physical(SYNTAX));
        assertThrows(SQLException.class, () -> connection.prepareStatement("SELECT 1").executeQuery());
        assertSame(CLOSED, assertThrows(SQLException.class, () -> connection.setAutoCommit(false)));
    }

    @Test
    void proxiesCompareByIdentity() {
        Connection connection = LostConnections.watch(physical(CLOSED));
        assertTrue(connection.equals(connection));
        assertNotEquals(connection, LostConnections.watch(physical(CLOSED)));
        assertEquals(System.identityHashCode(connection), connection.hashCode());
    }
}
