package org.turnkey.persistence;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Physical connections whose statements report a lost connection (SQLState class 08) as an
 * unchecked {@link ConnectionLost}. WildFly builds web.xml's data source without validation or
 * an exception sorter, and its pool (IronJacamar) discards a connection only after an error that
 * is not an SQLException: without this, connections broken by a database restart would stay in
 * the pool for good. Each broken connection now fails one request (503) and is replaced. Used on
 * WildFly only: Payara validates connections before handing them out.
 */
final class LostConnections {

    /** The pool passes it on wrapped in an SQLException, so callers still see a database fault. */
    static final class ConnectionLost extends RuntimeException {
        ConnectionLost(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private LostConnections() {
    }

    static Connection watch(Connection physical) {
        return proxy(Connection.class, physical, false);
    }

    private static <T> T proxy(Class<T> type, Object target, boolean statement) {
        InvocationHandler handler = (proxy, method, args) -> invoke(proxy, target, method, args, statement);
        return type.cast(Proxy.newProxyInstance(LostConnections.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object proxy, Object target, Method method, Object[] args, boolean statement)
            throws Throwable {
        switch (method.getName()) {
            case "equals":
                return args.length == 1 && proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            default:
                break;
        }
        // The pool calls other Connection methods (commit, setAutoCommit) expecting SQLExceptions
        // only; statements are made and run on behalf of the application, where it expects anything.
        boolean makesStatement = !statement && Statement.class.isAssignableFrom(method.getReturnType());
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if ((statement || makesStatement) && cause instanceof SQLException sql && lost(sql)) {
                throw new ConnectionLost(sql);
            }
            throw cause;
        }
        return makesStatement && result != null ? proxy(method.getReturnType(), result, true) : result;
    }

    private static boolean lost(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }
}
