package org.turnkey.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Renders every {@link MatrixException} as the spec's standard error response. */
@Provider
public class MatrixExceptionMapper implements ExceptionMapper<MatrixException> {

    @Override
    public Response toResponse(MatrixException e) {
        return render(e);
    }

    static Response render(MatrixException e) {
        Response.ResponseBuilder response = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(e.body());
        e.headers().forEach(response::header);
        return response.build();
    }
}
