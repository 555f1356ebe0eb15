package org.turnkey.api;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.sql.SQLException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Last line of defence: a fault of ours is 500 {@code M_UNKNOWN} with a request id and no stack
 * trace in the body. A database that cannot be reached is 503 with {@code Retry-After}, never a
 * 401: clients treat {@code M_UNKNOWN_TOKEN} as the end of their session.
 */
@Provider
public class ServerErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ServerErrorMapper.class.getName());

    /** Where OAuth 2.0 endpoints live ({@code org.turnkey.oauth.OAuthUrls}); their errors have the RFCs' shape. */
    static final String OAUTH_ENDPOINTS = "_turnkey/oauth2/";

    /** SQLState class 22, "data exception": a value out of range, not in the encoding, too long. */
    private static final String DATA_EXCEPTION = "22";

    @Context
    UriInfo request;

    @Override
    public Response toResponse(Throwable e) {
        return render(e, request);
    }

    static Response render(Throwable e, UriInfo request) {
        // Raised inside a transaction, an OAuth error may arrive wrapped (a rollback exception).
        OAuthException oauth = find(e, OAuthException.class);
        if (oauth != null) {
            return OAuthExceptionMapper.render(oauth);
        }
        MatrixException matrix = toMatrixError(e);
        if (request != null && request.getPath().startsWith(OAUTH_ENDPOINTS)) {
            // The same status and headers, in the shape OAuth clients parse (RFC 6749 section 5.2).
            OAuthException shaped = new OAuthException(matrix.status(),
                    matrix.status() == 503 ? "temporarily_unavailable" : "server_error", matrix.getMessage());
            matrix.headers().forEach(shaped::withHeader);
            return OAuthExceptionMapper.render(shaped);
        }
        return MatrixExceptionMapper.render(matrix);
    }

    static Response serverError(Throwable e) {
        return MatrixExceptionMapper.render(toMatrixError(e));
    }

    static MatrixException toMatrixError(Throwable e) {
        MatrixException matrix = find(e, MatrixException.class);
        if (matrix != null) {
            return matrix;
        }
        String requestId = UUID.randomUUID().toString();
        SQLException sql = find(e, SQLException.class);
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith(DATA_EXCEPTION)) {
            // The database refused a value the request carried: the client's mistake, and a rule the
            // boundary should have stated (api.Text); logged so that the missing check gets added.
            LOG.log(Level.WARNING, "Database refused a value (request " + requestId + "): SQLState " + sql.getSQLState());
            return MatrixException.invalidParam("A value in the request cannot be stored (request " + requestId + ")");
        }
        if (isDatabaseFault(e)) {
            LOG.log(Level.WARNING, "Database unavailable (request " + requestId + "): " + e);
            return MatrixException.unavailable("Service temporarily unavailable, try again (request " + requestId + ")");
        }
        LOG.log(Level.SEVERE, "Internal error (request " + requestId + ")", e);
        return new MatrixException(500, ErrorCode.M_UNKNOWN, "Internal server error (request " + requestId + ")");
    }

    static boolean isDatabaseFault(Throwable e) {
        return find(e, SQLException.class) != null
                || find(e, PersistenceException.class) != null;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
