package org.turnkey.persistence;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Physical connections whose statements report a lost connection (SQLState class 08) as an
 * unchecked {@link ConnectionLost}. WildFly builds web.xml's data source without validation or
 * an exception sorter, and its pool (IronJacamar) discards a connection only after an error that
 * is not an SQLException: without this, connections broken by a database restart would stay in
 * the pool for good. Used on WildFly only: Payara validates connections before handing them out.
 *
 * <p>Once any call on a connection has failed as lost, the connection is marked lost and:
 * statements are refused at once with {@link ConnectionLost}, so the pool discards it at its next
 * use; and {@code setAutoCommit} and {@code setReadOnly} do nothing. The pool calls those two
 * itself, when a connection is returned and before each statement, to bring the physical
 * connection in line with what the application asked for, and remembers the state only when the
 * call succeeds. If they kept failing, every later use of the connection would fail in that step,
 * before any statement could report the loss, and the connection would never be discarded. A
 * lost connection cannot commit anything, so skipping them hides no outcome: the failure that
 * marked it lost has already reached its caller, and {@code commit} still fails.
 */
final class LostConnections {

    /** The pool passes it on wrapped in an SQLException, so callers still see a database fault. */
    static final class ConnectionLost extends RuntimeException {
        ConnectionLost(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final Set<String> STATE_SYNC = Set.of("setAutoCommit", "setReadOnly");

    private LostConnections() {
    }

    static Connection watch(Connection physical) {
        return proxy(Connection.class, physical, false, new AtomicBoolean());
    }

    private static <T> T proxy(Class<T> type, Object target, boolean statement, AtomicBoolean lost) {
        InvocationHandler handler = (proxy, method, args) -> invoke(proxy, target, method, args, statement, lost);
        return type.cast(Proxy.newProxyInstance(LostConnections.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object proxy, Object target, Method method, Object[] args, boolean statement,
            AtomicBoolean lost) throws Throwable {
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
        if (lost.get() && !statement) {
            if (makesStatement) {
                throw new ConnectionLost(new SQLException("The database connection was lost", "08003"));
            }
            if (STATE_SYNC.contains(method.getName())) {
                return null;
            }
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql && lost(sql)) {
                lost.set(true);
                if (statement || makesStatement) {
                    throw new ConnectionLost(sql);
                }
            }
            throw cause;
        }
        return makesStatement && result != null ? proxy(method.getReturnType(), result, true, lost) : result;
    }

    private static boolean lost(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }
}
