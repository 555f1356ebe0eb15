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
import org.turnkey.oauth.authorize.QueryStrings;
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
 */
@WebServlet("/_turnkey/register")
public class RegisterServlet extends PageServlet {

    @Inject
    RegistrationPolicy registration;

    @Inject
    OAuthSettings settings;

    @Inject
    TurnkeyConfig config;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!open(request, response)) {
            return;
        }
        Optional<Journey> authorization = journey(request, response);
        if (authorization.isPresent()) {
            request.setAttribute("username", "");
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
        request.setAttribute("username", username);
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
        }
        if (problem != null) {
            fail(request, response, 400, problem, problemField, authorization.get());
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
            e.headers().forEach(response::setHeader);
            String errcode = e.errcode() == null ? "" : e.errcode().name();
            String field = switch (errcode) {
                case "M_USER_IN_USE", "M_INVALID_USERNAME", "M_EXCLUSIVE" -> "username";
                case "M_INVALID_PARAM" -> "password";
                case "M_LIMIT_EXCEEDED" -> null;
                default -> config.registrationRequiresToken() ? "registration_token" : null;
            };
            String message = switch (errcode) {
                case "M_LIMIT_EXCEEDED" -> "Too many accounts were created from here. Wait a while, then try again.";
                case "M_USER_IN_USE" -> "That username is taken.";
                default -> e.getMessage() == null ? "The account could not be created." : e.getMessage();
            };
            fail(request, response, e.status() == 429 ? 429 : 400, message, field, authorization.get());
            return;
        }
        sessions.start(request, response, userId);
        pages.redirect(response, authorization.get().next(), authorization.get().redirectTarget());
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
        request.setAttribute("loginLink", "login?" + QueryStrings.encode(authorization.query()));
        pages.render(request, response, status, "register", authorization.redirectTarget());
    }
}
