package org.turnkey.oauth.web;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.login.LoginService;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.authorize.QueryStrings;

import java.io.IOException;
import java.util.Optional;

/**
 * The sign-in page, {@code /_turnkey/login}. The password check is {@code POST /login}'s own
 * ({@link LoginService#signInBrowser}): the same rate limits, Argon2id concurrency
 * limit, rehash, and one message for an unknown user and a wrong password.
 */
@WebServlet("/_turnkey/login")
public class LoginServlet extends PageServlet {

    static final String INVALID = "Invalid username or password";

    @Inject
    LoginService logins;

    @Inject
    OAuthSettings settings;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        Optional<Journey> authorization = journey(request, response);
        if (authorization.isPresent()) {
            request.setAttribute("username", authorization.get().loginHint() == null ? ""
                    : authorization.get().loginHint());
            show(request, response, 200, authorization.get());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!csrfValid(request, response)) {
            return;
        }
        Optional<Journey> authorization = journey(request, response);
        if (authorization.isEmpty()) {
            return;
        }
        String username = field(request, "username").trim();
        String password = field(request, "password");
        request.setAttribute("username", username);
        if (username.isEmpty() || password.isEmpty()) {
            request.setAttribute("error", "Enter your username and password.");
            show(request, response, 400, authorization.get());
            return;
        }
        try {
            logins.signInBrowser(JsonBody.of(Json.createObjectBuilder()
                    .add("type", LoginService.PASSWORD)
                    .add("identifier", Json.createObjectBuilder().add("type", "m.id.user").add("user", username))
                    .add("password", password).build()), user -> sessions.start(request, response, user));
        } catch (MatrixException e) {
            request.setAttribute("error", message(e));
            e.headers().forEach(response::setHeader);
            // A deactivated account gets the wrong-password answer: the page tells nobody which names exist.
            show(request, response, e.status() == 429 || e.status() == 401 ? e.status() : 403, authorization.get());
            return;
        }
        pages.redirect(response, authorization.get().next(), authorization.get().redirectTarget());
    }

    static String message(MatrixException e) {
        return switch (e.errcode() == null ? "" : e.errcode().name()) {
            case "M_LIMIT_EXCEEDED" -> "Too many attempts. Wait a while, then try again.";
            case "M_USER_LOCKED" -> "This account is locked. Contact the server's administrator.";
            default -> INVALID;
        };
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status,
                      Journey authorization) throws IOException, ServletException {
        if (settings.registrationPages()) {
            request.setAttribute("registerLink", "register?" + QueryStrings.encode(authorization.query()));
        }
        pages.render(request, response, status, "login", authorization.redirectTarget());
    }
}
