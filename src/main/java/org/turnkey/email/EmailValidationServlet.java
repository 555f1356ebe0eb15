package org.turnkey.email;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.api.Text;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.web.Csrf;
import org.turnkey.oauth.web.Pages;

import java.io.IOException;

/**
 * The page a validation email links to. Opening the link only shows a Confirm button; the
 * address is validated by the button's POST (with the page's CSRF token), so a mail scanner
 * that fetches every link validates nothing. A session requested with a {@code next_link}
 * ({@link NextLinks}: absolute http(s) only) sends the browser there with a 303 once confirmed;
 * the page names that host beforehand.
 */
@WebServlet("/" + EmailValidations.VALIDATE_PAGE)
public class EmailValidationServlet extends HttpServlet {

    @Inject
    Pages pages;

    @Inject
    Csrf csrf;

    @Inject
    EmailValidations validations;

    @Inject
    OAuthUrls urls;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String sid = Text.orNull(request.getParameter("sid"));
        String secret = Text.orNull(request.getParameter("client_secret"));
        String token = Text.orNull(request.getParameter("token"));
        if (sid == null || secret == null || token == null) {
            pages.error(request, response, 400, "This link is incomplete: open the whole link from the email.");
            return;
        }
        request.setAttribute("sid", sid);
        request.setAttribute("clientSecret", secret);
        request.setAttribute("token", token);
        // The Confirm POST may end in a redirect to next_link: CSP form-action must allow its origin.
        String nextLink = validations.nextLink(sid, secret).orElse(null);
        if (nextLink != null) {
            request.setAttribute("nextHost", NextLinks.host(nextLink));
        }
        pages.render(request, response, 200, "email-validate", nextLink);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!csrf.valid(request)) {
            pages.error(request, response, 403, "This form has expired: open the link from the email again.");
            return;
        }
        String sid = Text.orNull(request.getParameter("sid"));
        String secret = Text.orNull(request.getParameter("client_secret"));
        var session = validations.validate(sid, secret, Text.orNull(request.getParameter("token")));
        boolean validated = session.isPresent();
        String nextLink = session.map(EmailValidation::nextLink).orElse(null);
        if (nextLink != null) {
            // requestToken's next_link, checked when it was stored (absolute http or https only).
            pages.redirect(response, nextLink, nextLink);
            return;
        }
        request.setAttribute("validated", validated);
        if (session.filter(v -> v.purpose() == EmailValidation.Purpose.RESET).isPresent()) {
            // A forgotten password: choose the new one here, or go back to the app that asked.
            request.setAttribute("reset", true);
            request.setAttribute("sid", sid);
            request.setAttribute("clientSecret", secret);
            request.setAttribute("resetAction", urls.basePath() + ForgotPasswordServlet.RESET);
        }
        request.setAttribute("done", true);
        pages.render(request, response, validated ? 200 : 400, "email-validate", null);
    }
}
