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
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.Scope;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.client.OAuthClients;
import org.turnkey.oauth.device.DeviceAuthorization;
import org.turnkey.oauth.device.DeviceAuthorizations;
import org.turnkey.oauth.device.DeviceGrantPolicy;
import org.turnkey.oauth.device.DeviceGrantPolicy.Undecidable;
import org.turnkey.ratelimit.ClientAddress;
import org.turnkey.ratelimit.RateLimits;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The device verification page, {@code /_turnkey/device} (RFC 8628 section 3.3, spec "Device
 * authorisation flow", "User interaction"): the {@code verification_uri}, and with
 * {@code ?user_code=} the {@code verification_uri_complete}. A browser that is not signed in
 * gets the sign-in page first (its form posts here, with {@code POST /login}'s own checks); then
 * the user types the code (unless the link carried it), sees which application and device ask,
 * and the code itself to compare with the device's screen (section 5.4, remote phishing), and
 * approves or denies. Wrong codes are counted per client address
 * ({@code turnkey.ratelimit.device-user-code.*}, section 5.1).
 */
@WebServlet("/_turnkey/device")
public class DeviceServlet extends PageServlet {

    @Inject
    DeviceAuthorizations authorizations;

    @Inject
    OAuthClients clients;

    @Inject
    LoginService logins;

    @Inject
    RateLimits limits;

    @Inject
    ClientAddress address;

    @Inject
    OAuthUrls urls;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String typed = field(request, "user_code").trim();
        Optional<String> userId = sessions.current(request);
        if (userId.isEmpty()) {
            showLogin(request, response, 200, typed);
            return;
        }
        request.setAttribute("userId", userId.get());
        if (typed.isEmpty()) {
            showEnter(request, response, 200, null, "");
            return;
        }
        Optional<String> normal = guess(request, response, typed);
        if (normal.isEmpty()) {
            return;
        }
        DeviceAuthorization row = authorizations.findByUserCode(normal.get()).orElse(null);
        Optional<Undecidable> why = authorizations.policy().undecidable(row);
        if (why.isPresent()) {
            refuse(request, response, why.get(), typed);
            return;
        }
        showConfirm(request, response, row, normal.get());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!csrfValid(request, response)) {
            return;
        }
        String typed = field(request, "user_code").trim();
        if (request.getParameter("password") != null) {
            signIn(request, response, typed);
            return;
        }
        Optional<String> userId = sessions.current(request);
        if (userId.isEmpty()) {
            // Signed out (or the session expired) in another tab: sign in again, then decide.
            pages.redirect(response, page(typed), null);
            return;
        }
        request.setAttribute("userId", userId.get());
        String decision = field(request, "decision");
        if (!decision.equals("allow") && !decision.equals("deny")) {
            pages.error(request, response, 400, "Choose Allow or Deny.");
            return;
        }
        Optional<String> normal = guess(request, response, typed);
        if (normal.isEmpty()) {
            return;
        }
        boolean approve = decision.equals("allow");
        Optional<Undecidable> why = authorizations.decide(normal.get(), approve, userId.get());
        if (why.isPresent()) {
            refuse(request, response, why.get(), typed);
            return;
        }
        request.setAttribute("stage", approve ? "approved" : "denied");
        pages.render(request, response, 200, "device", null);
    }

    /**
     * The sign-in step: {@code POST /login}'s password check and limits (the sign-in page's own
     * {@link LoginService#signInBrowser}), then back to this page with the code.
     */
    private void signIn(HttpServletRequest request, HttpServletResponse response, String typed)
            throws IOException, ServletException {
        String username = field(request, "username").trim();
        String password = field(request, "password");
        request.setAttribute("username", username);
        if (username.isEmpty() || password.isEmpty()) {
            request.setAttribute("error", "Enter your username and password.");
            showLogin(request, response, 400, typed);
            return;
        }
        try {
            logins.signInBrowser(JsonBody.of(Json.createObjectBuilder()
                    .add("type", LoginService.PASSWORD)
                    .add("identifier", Json.createObjectBuilder().add("type", "m.id.user").add("user", username))
                    .add("password", password).build()), user -> sessions.start(request, response, user));
        } catch (MatrixException e) {
            request.setAttribute("error", LoginServlet.message(e));
            e.headers().forEach(response::setHeader);
            showLogin(request, response, e.status() == 429 || e.status() == 401 ? e.status() : 403, typed);
            return;
        }
        pages.redirect(response, page(typed), null);
    }

    /**
     * Checks the guess limit, then normalises the typed code. Empty after answering: 429 while
     * this address is over the limit, 400 (counted) for text that cannot be a user code.
     */
    private Optional<String> guess(HttpServletRequest request, HttpServletResponse response, String typed)
            throws IOException, ServletException {
        try {
            limits.check(RateLimits.Kind.DEVICE_USER_CODE, address.get());
        } catch (MatrixException e) {
            e.headers().forEach(response::setHeader);
            showEnter(request, response, 429, "Too many wrong codes. Wait a while, then try again.", typed);
            return Optional.empty();
        }
        Optional<String> normal = DeviceGrantPolicy.normalize(typed);
        if (normal.isEmpty()) {
            limits.record(RateLimits.Kind.DEVICE_USER_CODE, address.get());
            showEnter(request, response, 400, "That is not a code from a device. Check the code on your device's"
                    + " screen: 8 letters, such as BCDF-GHJK.", typed);
        }
        return normal;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Undecidable why, String typed)
            throws IOException, ServletException {
        String message = switch (why) {
            case UNKNOWN -> "No device is waiting for that code. Check the code on your device's screen.";
            case EXPIRED -> "That code has expired. Start signing in again on your device to get a new one.";
            case ALREADY_DECIDED -> "That code was already used. Start signing in again on your device to get a new one.";
        };
        if (why == Undecidable.UNKNOWN) {
            limits.record(RateLimits.Kind.DEVICE_USER_CODE, address.get());
        }
        showEnter(request, response, why == Undecidable.UNKNOWN ? 404 : 410, message, typed);
    }

    private void showLogin(HttpServletRequest request, HttpServletResponse response, int status, String typed)
            throws IOException, ServletException {
        request.setAttribute("action", action(typed));
        if (request.getAttribute("username") == null) {
            request.setAttribute("username", "");
        }
        pages.render(request, response, status, "login", null);
    }

    private void showEnter(HttpServletRequest request, HttpServletResponse response, int status, String error,
                           String typed) throws IOException, ServletException {
        request.setAttribute("stage", "enter");
        request.setAttribute("error", error);
        request.setAttribute("userCode", typed);
        request.setAttribute("action", "device");
        pages.render(request, response, status, "device", null);
    }

    private void showConfirm(HttpServletRequest request, HttpServletResponse response, DeviceAuthorization row,
                             String normal) throws IOException, ServletException {
        OAuthClient client = clients.find(row.clientId()).orElseThrow();
        request.setAttribute("stage", "confirm");
        request.setAttribute("clientName", client.clientName().filter(n -> !n.isBlank()).orElse(client.clientId()));
        request.setAttribute("clientUri", ConsentServlet.link(client.clientUri()));
        request.setAttribute("clientHost", client.clientUri().flatMap(ConsentServlet::host).orElse(null));
        request.setAttribute("deviceId", Scope.parse(row.scope()).deviceId());
        request.setAttribute("userCode", DeviceGrantPolicy.display(normal));
        request.setAttribute("action", action(DeviceGrantPolicy.display(normal)));
        request.setAttribute("logoutAction", "logout");
        pages.render(request, response, 200, "device", null);
    }

    /** This page, relative (so a path prefix works), with the code the user gave. */
    private static String action(String typed) {
        return typed.isEmpty() ? "device" : "device?user_code=" + URLEncoder.encode(typed, StandardCharsets.UTF_8);
    }

    /** This page's absolute URL with the code the user gave (a redirect after a POST). */
    private String page(String typed) {
        return urls.url(OAuthUrls.DEVICE_PAGE) + (typed.isEmpty() ? ""
                : "?user_code=" + URLEncoder.encode(typed, StandardCharsets.UTF_8));
    }
}
