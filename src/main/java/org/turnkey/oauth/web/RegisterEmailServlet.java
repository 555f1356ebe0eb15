package org.turnkey.oauth.web;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.api.MatrixException;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.authorize.QueryStrings;
import org.turnkey.registration.EmailRegistrations;
import org.turnkey.registration.PendingRegistration;

import java.io.IOException;
import java.util.Optional;

/**
 * "Check your email", {@code /_turnkey/register-email}: the registration page's form waits here
 * for its address to be confirmed ({@link EmailRegistrations} decides everything). Continue
 * creates the account with the code from the mail typed in, or after the mail's link was
 * confirmed in any browser; the browser is then signed in and goes on to the consent page like
 * after the plain registration form.
 */
@WebServlet("/" + RegisterEmailServlet.PATH)
public class RegisterEmailServlet extends PageServlet {

    static final String PATH = "_turnkey/register-email";

    @Inject
    EmailRegistrations registrations;

    @Inject
    OAuthSettings settings;

    @Inject
    Cookies cookies;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!open(request, response)) {
            return;
        }
        Optional<Journey> journey = journey(request, response);
        if (journey.isEmpty()) {
            return;
        }
        Optional<PendingRegistration> waiting = registrations.waiting(key(request));
        if (waiting.isEmpty()) {
            show(request, response, 400, journey.get(), null, true);
            return;
        }
        show(request, response, 200, journey.get(), waiting.get(), false);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!open(request, response) || !csrfValid(request, response)) {
            return;
        }
        Optional<Journey> journey = journey(request, response);
        if (journey.isEmpty()) {
            return;
        }
        String key = key(request);
        Optional<PendingRegistration> waiting = registrations.waiting(key);
        EmailRegistrations.Completion done;
        try {
            done = registrations.complete(key, field(request, "code"));
        } catch (MatrixException e) {
            e.headers().forEach(response::setHeader);
            String message = switch (e.errcode() == null ? "" : e.errcode().name()) {
                case "M_USER_IN_USE" -> "Someone took that username meanwhile. Start again with another one.";
                case "M_THREEPID_IN_USE" -> "An account uses that email address now. Start again with another one.";
                case "M_LIMIT_EXCEEDED" -> "Too many accounts were created from here. Wait a while, then press Continue again.";
                default -> e.getMessage() == null ? "The account could not be created. Start again." : e.getMessage();
            };
            request.setAttribute("error", message);
            show(request, response, e.status() == 429 ? 429 : 400, journey.get(), waiting.orElse(null), waiting.isEmpty());
            return;
        }
        switch (done.outcome()) {
            case CREATED -> {
                cookies.clear(response, EmailRegistrations.COOKIE);
                sessions.start(request, response, done.userId());
                pages.redirect(response, journey.get().next(), journey.get().redirectTarget());
            }
            case WRONG_CODE -> {
                request.setAttribute("error", "That code is not the one in the email, or it has been used. Check it,"
                        + " or open the link in the email.");
                request.setAttribute("errorField", "code");
                show(request, response, 400, journey.get(), waiting.orElse(null), false);
            }
            case NOT_CONFIRMED -> {
                request.setAttribute("error", "Your email address is not confirmed yet. Open the link in the email,"
                        + " or enter the code from it, then press Continue.");
                show(request, response, 400, journey.get(), waiting.orElse(null), false);
            }
            default -> show(request, response, 400, journey.get(), null, true);
        }
    }

    private String key(HttpServletRequest request) {
        return cookies.read(request, EmailRegistrations.COOKIE).orElse(null);
    }

    /** False after answering 404 with the error page: registration by email is not offered. */
    private boolean open(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (settings.registrationPages() && registrations.offered()) {
            return true;
        }
        pages.error(request, response, 404, "This server does not offer registration by email.");
        return false;
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status, Journey journey,
                      PendingRegistration waiting, boolean expired) throws IOException, ServletException {
        request.setAttribute("expired", expired);
        if (waiting != null) {
            request.setAttribute("address", waiting.address());
            request.setAttribute("userId", waiting.userId());
        }
        request.setAttribute("restartLink", "register?" + QueryStrings.encode(journey.query()));
        pages.render(request, response, status, "register-email", journey.redirectTarget());
    }
}
