package org.turnkey.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Error page for what the servlet container rejects before JAX-RS sees it (declared in web.xml),
 * so even those answers are Matrix JSON instead of HTML. Requested directly (no error being
 * dispatched) it is an unknown path like any other.
 */
@WebServlet("/__turnkey_error")
public class ContainerErrorServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 404;
        MatrixException error = switch (status) {
            case 404 -> MatrixException.unrecognized(404, "Unrecognized request");
            case 405 -> MatrixException.unrecognized(405, "Method not allowed for this endpoint");
            case 413 -> new MatrixException(413, ErrorCode.M_TOO_LARGE, "Request too large");
            default -> new MatrixException(status, ErrorCode.M_UNKNOWN,
                    status >= 500 ? "Internal server error" : "Bad request");
        };
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");
        byte[] body = error.body().toString().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
