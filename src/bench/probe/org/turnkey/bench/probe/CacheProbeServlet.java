package org.turnkey.bench.probe;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.token.AccessTokenCache;

import java.io.IOException;

/**
 * {@code GET /cache-probe/lookups}: the access-token cache's database lookups (misses) since
 * start and its size now, for P4-over's lookups per request. Benchmark only, never in Turnkey's
 * WAR: {@code src/bench/run.sh} adds it to a copy, as it does {@link HashProbeServlet}.
 */
@WebServlet("/cache-probe/lookups")
public class CacheProbeServlet extends HttpServlet {

    @Inject
    AccessTokenCache cache;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.getWriter().write("{\"lookups\":" + cache.databaseLookups() + ",\"size\":" + cache.size() + "}");
    }
}
