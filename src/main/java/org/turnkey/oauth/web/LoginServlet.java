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
import org.turnkey.api.Text;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.account.AccountActions;
import org.turnkey.oauth.authorize.QueryStrings;

import java.io.IOException;
import java.util.List;
import java.util.Map;
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

    @Inject
    OAuthUrls urls;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        Optional<String> account = accountReturn(request);
        if (account.isPresent()) {
            if (sessions.current(request).isPresent()) {
                pages.redirect(response, accountPage(account.get()), null);
                return;
            }
            request.setAttribute("username", "");
            showForAccount(request, response, 200, account.get());
            return;
        }
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
        Optional<String> account = accountReturn(request);
        if (account.isPresent()) {
            String username = field(request, "username").trim();
            String password = field(request, "password");
            request.setAttribute("username", username);
            if (username.isEmpty() || password.isEmpty()) {
                request.setAttribute("error", "Enter your username and password.");
                showForAccount(request, response, 400, account.get());
                return;
            }
            try {
                signIn(request, response, username, password);
                pages.redirect(response, accountPage(account.get()), null);
            } catch (MatrixException e) {
                request.setAttribute("error", message(e));
                e.headers().forEach(response::setHeader);
                showForAccount(request, response, e.status() == 429 || e.status() == 401 ? e.status() : 403,
                        account.get());
            }
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
            signIn(request, response, username, password);
        } catch (MatrixException e) {
            request.setAttribute("error", message(e));
            e.headers().forEach(response::setHeader);
            // A deactivated account gets the wrong-password answer: the page tells nobody which names exist.
            show(request, response, e.status() == 429 || e.status() == 401 ? e.status() : 403, authorization.get());
            return;
        }
        pages.redirect(response, authorization.get().next(), authorization.get().redirectTarget());
    }

    /** Checks the password as {@code POST /login} does and, if right, signs the browser in. */
    private String signIn(HttpServletRequest request, HttpServletResponse response, String username, String password) {
        return logins.signInBrowser(JsonBody.of(Json.createObjectBuilder()
                .add("type", LoginService.PASSWORD)
                .add("identifier", Json.createObjectBuilder().add("type", "m.id.user").add("user", username))
                .add("password", password).build()), user -> sessions.start(request, response, user));
    }

    /**
     * For a sign-in on the way to the account pages ({@code ?account=1&action=...&device_id=...},
     * where {@link org.turnkey.oauth.account.AccountServlet} sends a browser that is not signed
     * in): the account page query to go back to. Only the action and device ID are carried, and
     * the way back is always Turnkey's own account page, so this is no open redirect.
     */
    static Optional<String> accountReturn(HttpServletRequest request) {
        Map<String, List<String>> params = QueryStrings.parse(request.getQueryString()).orElse(Map.of());
        if (!params.containsKey("account")) {
            return Optional.empty();
        }
        String deviceId = first(params, "device_id");
        return Optional.of(AccountActions.query(AccountActions.page(first(params, "action"), deviceId), deviceId));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || !Text.acceptable(values.get(0)) ? null : values.get(0);
    }

    private String accountPage(String query) {
        return urls.basePath() + OAuthUrls.ACCOUNT_PAGE + "?" + query;
    }

    private void showForAccount(HttpServletRequest request, HttpServletResponse response, int status, String query)
            throws IOException, ServletException {
        request.setAttribute("action", "login?account=1&" + query);
        pages.render(request, response, status, "login", null);
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
