package org.turnkey.oauth.web;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.authorize.QueryStrings;
import org.turnkey.registration.EmailRegistrations;
import org.turnkey.registration.RegistrationPolicy;
import org.turnkey.uia.UiaService;

import java.io.IOException;
import java.util.Optional;

/**
 * The registration page, {@code /_turnkey/register} (spec {@code prompt=create}). Accounts are
 * made by {@link RegistrationPolicy#register}, the policy of {@code POST /register}: the same user ID
 * rules, registration rate limit and registration tokens. The page completes the one UIA stage
 * itself from the form ({@code m.login.registration_token} with the token field, else
 * {@code m.login.dummy}), and asks for no device: the client gets its device from the code.
 * With mail on the form has an email field ({@link EmailRegistrations} decides when it is
 * required); an address sends the browser to {@link RegisterEmailServlet}, which waits for it to
 * be confirmed before the account exists.
 */
@WebServlet("/_turnkey/register")
public class RegisterServlet extends PageServlet {

    @Inject
    RegistrationPolicy registration;

    @Inject
    OAuthSettings settings;

    @Inject
    TurnkeyConfig config;

    @Inject
    EmailRegistrations emailRegistrations;

    @Inject
    Cookies cookies;

    @Inject
    OAuthUrls urls;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!open(request, response)) {
            return;
        }
        Optional<Journey> authorization = journey(request, response);
        if (authorization.isPresent()) {
            request.setAttribute("username", "");
            request.setAttribute("email", "");
            show(request, response, 200, authorization.get());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!open(request, response) || !csrfValid(request, response)) {
            return;
        }
        Optional<Journey> authorization = journey(request, response);
        if (authorization.isEmpty()) {
            return;
        }
        String username = field(request, "username").trim();
        String password = field(request, "password");
        String confirmation = field(request, "password_confirm");
        String token = field(request, "registration_token").trim();
        String email = field(request, "email").trim();
        request.setAttribute("username", username);
        request.setAttribute("email", email);
        EmailRegistrations.Mode mode = emailRegistrations.mode(email);
        String problem = null;
        String problemField = null;
        if (username.isEmpty()) {
            problem = "Choose a username.";
            problemField = "username";
        } else if (password.isEmpty()) {
            problem = "Choose a password.";
            problemField = "password";
        } else if (!password.equals(confirmation)) {
            problem = "The two passwords differ.";
            problemField = "password_confirm";
        } else if (config.registrationRequiresToken() && token.isEmpty()) {
            problem = "Enter your registration token.";
            problemField = "registration_token";
        } else if (mode == EmailRegistrations.Mode.ADDRESS_MISSING) {
            problem = "Enter your email address.";
            problemField = "email";
        } else if (mode == EmailRegistrations.Mode.BY_EMAIL && EmailRegistrations.address(email).isEmpty()) {
            problem = "Enter a valid email address, such as name@example.org.";
            problemField = "email";
        }
        if (problem != null) {
            fail(request, response, 400, problem, problemField, authorization.get());
            return;
        }
        if (mode == EmailRegistrations.Mode.BY_EMAIL) {
            startWithEmail(request, response, username, password, token, email, authorization.get());
            return;
        }
        JsonObjectBuilder auth = config.registrationRequiresToken()
                ? Json.createObjectBuilder().add("type", UiaService.REGISTRATION_TOKEN).add("token", token)
                : Json.createObjectBuilder().add("type", UiaService.DUMMY);
        String userId;
        try {
            userId = registration.register("user", JsonBody.of(Json.createObjectBuilder()
                    .add("username", username).add("password", password)
                    .add("inhibit_login", true).add("auth", auth).build())).userId();
        } catch (MatrixException e) {
            refused(request, response, e, authorization.get());
            return;
        }
        sessions.start(request, response, userId);
        pages.redirect(response, authorization.get().next(), authorization.get().redirectTarget());
    }

    /**
     * The form with an address: checked and mailed by {@link EmailRegistrations#start}, then the
     * browser waits on the "Check your email" page, holding the waiting form's key in a cookie.
     */
    private void startWithEmail(HttpServletRequest request, HttpServletResponse response, String username,
                                String password, String token, String email, Journey authorization)
            throws IOException, ServletException {
        String key;
        try {
            key = emailRegistrations.start(username, password, token, email);
        } catch (MatrixException e) {
            refused(request, response, e, authorization);
            return;
        }
        cookies.write(response, EmailRegistrations.COOKIE, key, null);
        pages.redirect(response, urls.basePath() + RegisterEmailServlet.PATH + "?"
                + QueryStrings.encode(authorization.query()), null);
    }

    /** The form again, with the API's refusal in the user's words beside the field it concerns. */
    private void refused(HttpServletRequest request, HttpServletResponse response, MatrixException e,
                         Journey authorization) throws IOException, ServletException {
        e.headers().forEach(response::setHeader);
        String errcode = e.errcode() == null ? "" : e.errcode().name();
        String field = switch (errcode) {
            case "M_USER_IN_USE", "M_INVALID_USERNAME", "M_EXCLUSIVE" -> "username";
            case "M_INVALID_PARAM" -> "password";
            case "M_THREEPID_IN_USE", "M_THREEPID_MEDIUM_NOT_SUPPORTED" -> "email";
            case "M_LIMIT_EXCEEDED" -> null;
            default -> config.registrationRequiresToken() ? "registration_token" : null;
        };
        String message = switch (errcode) {
            case "M_LIMIT_EXCEEDED" -> "Too many attempts from here. Wait a while, then try again.";
            case "M_USER_IN_USE" -> "That username is taken.";
            case "M_THREEPID_IN_USE" -> "An account already uses that email address. Sign in instead,"
                    + " or use another address.";
            default -> e.getMessage() == null ? "The account could not be created." : e.getMessage();
        };
        fail(request, response, e.status() == 429 ? 429 : 400, message, field, authorization);
    }

    /** False after answering 404 with the error page: registration is off. */
    private boolean open(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (settings.registrationPages()) {
            return true;
        }
        pages.error(request, response, 404, "This server does not offer registration.");
        return false;
    }

    private void fail(HttpServletRequest request, HttpServletResponse response, int status, String message,
                      String field, Journey authorization) throws IOException, ServletException {
        request.setAttribute("error", message);
        request.setAttribute("errorField", field);
        show(request, response, status, authorization);
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status,
                      Journey authorization) throws IOException, ServletException {
        request.setAttribute("requiresToken", config.registrationRequiresToken());
        request.setAttribute("emailField", emailRegistrations.offered());
        request.setAttribute("requiresEmail", emailRegistrations.required());
        request.setAttribute("loginLink", "login?" + QueryStrings.encode(authorization.query()));
        pages.render(request, response, status, "register", authorization.redirectTarget());
    }
}
