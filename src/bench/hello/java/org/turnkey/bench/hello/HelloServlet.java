package org.turnkey.bench.hello;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The one servlet of the hello-world WAR that P5 and P6 compare Turnkey with
 * (docs/performance.md): on the same Payara Micro, at the same path the benchmark polls on
 * Turnkey, a constant JSON body of about the size of Turnkey's {@code /versions}.
 */
@WebServlet("/_matrix/client/versions")
public class HelloServlet extends HttpServlet {

    private static final String BODY = "{\"versions\":[\"v1.1\",\"v1.2\",\"v1.3\",\"v1.4\",\"v1.5\",\"v1.6\",\"v1.7\","
            + "\"v1.8\",\"v1.9\",\"v1.10\",\"v1.11\",\"v1.12\",\"v1.13\",\"v1.14\",\"v1.15\"]}";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.getWriter().write(BODY);
    }
}
