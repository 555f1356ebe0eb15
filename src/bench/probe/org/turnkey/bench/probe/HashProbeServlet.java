package org.turnkey.bench.probe;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.account.PasswordHasher;

import java.io.IOException;

/**
 * {@code POST /hash-probe/hash}: one Argon2id hash by the {@link PasswordHasher} that logins use.
 * Benchmark only (P3), never in Turnkey's WAR: {@code src/bench/run.sh} adds it to a copy. The same
 * hash cost up to a quarter more from one JVM to another on the benchmark's machine, and from one
 * copy of the class to another in one JVM (docs/performance.md, P3); here the raw hashes run on the same
 * request threads, compiled code and kept memory as the logins they are compared with.
 */
@WebServlet("/hash-probe/hash")
public class HashProbeServlet extends HttpServlet {

    private static final String SECRET = "bench-probe-password";

    @Inject
    PasswordHasher hasher;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String phc = hasher.hash(SECRET);
        // The parameters only ("m=..,t=..,p=.."), for the load generator to check against its own.
        response.setContentType("application/json");
        response.getWriter().write("{\"parameters\":\"" + phc.split("\\$")[3] + "\"}");
    }
}
