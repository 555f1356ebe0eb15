package org.turnkey.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Renders every {@link OAuthException} as its RFC's JSON error, with {@code Cache-Control:
 * no-store} (RFC 6749 section 5.1 asks it of every token response, errors included).
 */
@Provider
public class OAuthExceptionMapper implements ExceptionMapper<OAuthException> {

    @Override
    public Response toResponse(OAuthException e) {
        return render(e);
    }

    static Response render(OAuthException e) {
        Response.ResponseBuilder response = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .entity(e.body());
        e.headers().forEach(response::header);
        return response.build();
    }
}
