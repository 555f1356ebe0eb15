package org.turnkey.oauth.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.legacy.LegacySso;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.Valid;

import java.io.IOException;

/**
 * Sign-out, {@code /_turnkey/logout}: a POST with the CSRF token (a GET must not sign anyone out,
 * or any image on any site could). Ends the browser session only; the Matrix sessions the user's
 * apps hold are theirs to end. Posted from the consent page's "Not you?" with the authorisation
 * request, it goes on to the sign-in page for that same request.
 */
@WebServlet("/_turnkey/logout")
public class LogoutServlet extends PageServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        request.setAttribute("signedIn", sessions.current(request).isPresent());
        pages.render(request, response, 200, "logout", null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!csrfValid(request, response)) {
            return;
        }
        sessions.end(request, response);
        if (request.getQueryString() != null && sso.parse(request.getQueryString()) instanceof LegacySso.Valid ssoRequest) {
            // "Not you?" on the SSO confirmation page: sign in again, then continue to the app.
            pages.redirect(response, sso.page(OAuthUrls.LOGIN_PAGE, ssoRequest.request()),
                    ssoRequest.request().target().url());
            return;
        }
        if (request.getQueryString() != null && flow.check(request.getQueryString()) instanceof Valid valid) {
            pages.redirect(response, flow.page(OAuthUrls.LOGIN_PAGE, valid.request()), valid.request().redirectUri());
            return;
        }
        request.setAttribute("signedIn", false);
        request.setAttribute("signedOut", true);
        pages.render(request, response, 200, "logout", null);
    }
}
