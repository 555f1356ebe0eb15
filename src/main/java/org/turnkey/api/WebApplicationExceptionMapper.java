package org.turnkey.api;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns the errors Jersey raises itself (no route, wrong method, ...) into Matrix errors. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        MatrixException error;
        if (e instanceof NotFoundException) {
            error = MatrixException.unrecognized(404, "Unrecognized request");
        } else if (e instanceof NotAllowedException) {
            error = MatrixException.unrecognized(405, "Method not allowed for this endpoint");
        } else if (e instanceof NotSupportedException) {
            error = MatrixException.notJson("Content not understood");
        } else if (status >= 500) {
            return ServerErrorMapper.serverError(e);
        } else {
            error = new MatrixException(status, ErrorCode.M_UNKNOWN, reason(status));
        }
        return MatrixExceptionMapper.render(error);
    }

    private static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "Request failed" : known.getReasonPhrase();
    }
}
