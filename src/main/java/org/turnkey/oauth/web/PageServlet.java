package org.turnkey.oauth.web;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.oauth.authorize.AuthorizationFlow;
import org.turnkey.oauth.authorize.AuthorizationRequest;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.Valid;
import org.turnkey.oauth.authorize.QueryStrings;
import org.turnkey.oauth.legacy.LegacySso;

import org.turnkey.api.Text;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * What the pages share: the authorisation request they serve, read again from their own query
 * string and validated again (nothing is trusted because an earlier step saw it), and the CSRF
 * check of every POST.
 */
abstract class PageServlet extends HttpServlet {

    @Inject
    AuthorizationFlow flow;

    @Inject
    BrowserSessions sessions;

    @Inject
    Pages pages;

    @Inject
    Csrf csrf;

    @Inject
    LegacySso sso;

    /**
     * What the sign-in and registration pages serve: an authorisation request, or a legacy
     * client's SSO request ({@link LegacySso}). Either way the page carries {@code query} on its
     * forms and links, and sends the browser to {@code next} once the user is signed in.
     *
     * @param redirectTarget where the browser may end up after the page's form (CSP form-action)
     * @param loginHint      the user ID to prefill, or null
     */
    record Journey(Map<String, String> query, String next, String redirectTarget, String loginHint) {
    }

    /**
     * The journey this page serves, or empty after answering with the error page. A query with
     * {@code redirectUrl} is an SSO request, anything else must be an authorisation request.
     */
    Optional<Journey> journey(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        LegacySso.Parsed parsed = sso.parse(request.getQueryString());
        if (parsed instanceof LegacySso.Refused refused) {
            pages.error(request, response, 400, refused.message());
            return Optional.empty();
        }
        if (parsed instanceof LegacySso.Valid valid) {
            var query = valid.request().continuation();
            request.setAttribute("action", actionOf(request) + "?" + QueryStrings.encode(query));
            request.setAttribute("logoutAction", "logout?" + QueryStrings.encode(query));
            return Optional.of(new Journey(query, sso.resume(valid.request()), valid.request().target().url(), null));
        }
        return authorization(request, response).map(a -> new Journey(a.continuation(), flow.resume(a),
                a.redirectUri(), a.loginHint()));
    }

    /**
     * The request this page serves, or empty after answering with the error page. Unlike the
     * authorisation endpoint, a page never sends errors to the client: it is reached only from
     * Turnkey's own redirects, so a bad request here was tampered with.
     */
    Optional<AuthorizationRequest> authorization(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (flow.check(request.getQueryString()) instanceof Valid valid) {
            AuthorizationRequest authorization = valid.request();
            // The forms post back to this page with the same query (relative, so a path prefix works).
            request.setAttribute("action", actionOf(request) + "?"
                    + QueryStrings.encode(authorization.continuation()));
            request.setAttribute("logoutAction", "logout?" + QueryStrings.encode(authorization.continuation()));
            return Optional.of(authorization);
        }
        pages.error(request, response, 400,
                "This page needs a sign-in request from a Matrix app. Go back to the app and start again.");
        return Optional.empty();
    }

    /** False after answering 403 with the error page. */
    boolean csrfValid(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (csrf.valid(request)) {
            return true;
        }
        pages.error(request, response, 403,
                "This form has expired or did not come from this server. Go back to the app and start again.");
        return false;
    }

    /** The last path segment of this page ({@code login}, {@code consent}, ...). */
    private static String actionOf(HttpServletRequest request) {
        String path = request.getServletPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String field(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        // Treated as not filled in, so the page asks again instead of failing on PostgreSQL.
        return value == null || !Text.acceptable(value) ? "" : value;
    }
}
