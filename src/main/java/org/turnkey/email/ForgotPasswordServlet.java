package org.turnkey.email;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.account.AccountService;
import org.turnkey.account.PasswordHasher;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.JsonBody;
import org.turnkey.api.Jsons;
import org.turnkey.api.MatrixException;
import org.turnkey.api.Text;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.email.EmailValidation.Purpose;
import org.turnkey.oauth.web.Csrf;
import org.turnkey.oauth.web.Pages;
import org.turnkey.token.Tokens;

import java.io.IOException;

/**
 * "Forgot your password?" in the browser, linked from the sign-in page: the same reset as the
 * API's ({@link EmailValidations}, {@link PasswordReset}). {@code forgot} asks for the address
 * and mails the link (the answer never says whether an account has it, unless the operator
 * opted in); the link's page, once confirmed, offers a new-password form that posts to
 * {@code reset}, which signs out every device.
 */
@WebServlet({"/" + ForgotPasswordServlet.FORGOT, "/" + ForgotPasswordServlet.RESET})
public class ForgotPasswordServlet extends HttpServlet {

    static final String FORGOT = "_turnkey/password/forgot";
    static final String RESET = "_turnkey/password/reset";

    @Inject
    Pages pages;

    @Inject
    Csrf csrf;

    @Inject
    EmailValidations validations;

    @Inject
    MailSettings settings;

    @Inject
    PasswordReset reset;

    @Inject
    PasswordHasher hasher;

    @Inject
    SecurityEvents events;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!validations.available()) {
            pages.error(request, response, 404, "Password reset by email is not available on this server.");
            return;
        }
        if (request.getServletPath().endsWith(RESET)) {
            pages.error(request, response, 400, "Open the link from the email to reset your password.");
            return;
        }
        pages.render(request, response, 200, "password-forgot", null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!validations.available()) {
            pages.error(request, response, 404, "Password reset by email is not available on this server.");
            return;
        }
        if (!csrf.valid(request)) {
            pages.error(request, response, 403, "This form has expired: open the page again.");
            return;
        }
        if (request.getServletPath().endsWith(RESET)) {
            newPassword(request, response);
        } else {
            requestLink(request, response);
        }
    }

    private void requestLink(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String email = request.getParameter("email");
        request.setAttribute("email", email == null ? "" : email);
        try {
            validations.request(Purpose.RESET, JsonBody.of(Jsons.createObjectBuilder()
                    .add("client_secret", Tokens.randomString(24)).add("email", email == null ? "" : email)
                    .add("send_attempt", 1).build()));
        } catch (MatrixException e) {
            request.setAttribute("error", switch (e.errcode()) {
                case M_LIMIT_EXCEEDED -> "Too many emails were asked for. Try again later.";
                case M_THREEPID_NOT_FOUND -> "No account on this server has this email address.";
                default -> "Enter a valid email address.";
            });
            pages.render(request, response, e.status(), "password-forgot", null);
            return;
        }
        request.setAttribute("sent", true);
        request.setAttribute("minutes", settings.tokenLifetime().toMinutes());
        pages.render(request, response, 200, "password-forgot", null);
    }

    private void newPassword(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String sid = Text.orNull(request.getParameter("sid"));
        String secret = Text.orNull(request.getParameter("client_secret"));
        String password = request.getParameter("new_password");
        String confirm = request.getParameter("new_password_confirm");
        request.setAttribute("sid", sid);
        request.setAttribute("clientSecret", secret);
        request.setAttribute("reset", true);
        request.setAttribute("done", true);
        request.setAttribute("validated", true);
        String problem = null;
        if (password == null || password.isEmpty()) {
            problem = "Choose a new password.";
        } else if (!password.equals(confirm)) {
            problem = "The two passwords differ.";
        } else if (password.length() > AccountService.MAX_PASSWORD_LENGTH) {
            problem = "This password is too long.";
        }
        if (problem != null) {
            request.setAttribute("error", problem);
            request.setAttribute("resetAction", request.getRequestURI());
            pages.render(request, response, 400, "email-validate", null);
            return;
        }
        PasswordReset.Done done;
        try {
            done = reset.resetInBrowser(sid, secret, hasher.hash(password));
        } catch (MatrixException e) {
            if (e.errcode() != ErrorCode.M_THREEPID_AUTH_FAILED && e.errcode() != ErrorCode.M_USER_DEACTIVATED) {
                throw e;
            }
            pages.error(request, response, 400, "This link has expired or was already used. Ask for a new email.");
            return;
        }
        events.passwordChanged(done.userId(), null, done.loggedOut());
        request.setAttribute("changed", true);
        pages.render(request, response, 200, "password-forgot", null);
    }
}
