package org.turnkey.oauth.authorize;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.oauth.authorize.AuthorizationFlow.Step;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.ErrorPage;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.ErrorRedirect;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.Valid;
import org.turnkey.oauth.web.BrowserSessions;
import org.turnkey.oauth.web.Pages;

import java.io.IOException;

/**
 * {@code GET /_turnkey/oauth2/authorize} (RFC 6749 section 4.1.1; the spec's
 * {@code authorization_endpoint}). A servlet rather than a JAX-RS resource because what it
 * answers is a browser's: redirects and HTML pages with the pages' headers. The exact-path
 * mapping wins over Jersey's {@code /*}.
 */
@WebServlet("/_turnkey/oauth2/authorize")
public class AuthorizeServlet extends HttpServlet {

    @Inject
    AuthorizationFlow flow;

    @Inject
    BrowserSessions sessions;

    @Inject
    Pages pages;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        var outcome = flow.check(request.getQueryString());
        if (outcome instanceof ErrorPage page) {
            pages.error(request, response, 400, page.message());
        } else if (outcome instanceof ErrorRedirect refused) {
            pages.redirect(response, refused.location(), refused.location());
        } else if (outcome instanceof Valid valid) {
            AuthorizationRequest authorization = valid.request();
            Step step = flow.next(authorization, sessions.current(request));
            String location = step instanceof AuthorizationFlow.ToClient c ? c.location()
                    : ((AuthorizationFlow.ToPage) step).location();
            pages.redirect(response, location, authorization.redirectUri());
        }
    }
}
