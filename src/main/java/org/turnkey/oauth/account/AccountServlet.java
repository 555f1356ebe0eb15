package org.turnkey.oauth.account;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.account.User;
import org.turnkey.api.MatrixException;
import org.turnkey.api.Text;
import org.turnkey.device.Device;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.web.BrowserSession;
import org.turnkey.oauth.web.BrowserSessions;
import org.turnkey.oauth.web.Csrf;
import org.turnkey.oauth.web.Pages;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.turnkey.oauth.account.AccountActions.ACCOUNT_DEACTIVATE;
import static org.turnkey.oauth.account.AccountActions.CROSS_SIGNING_RESET;
import static org.turnkey.oauth.account.AccountActions.DEVICES_LIST;
import static org.turnkey.oauth.account.AccountActions.DEVICE_DELETE;
import static org.turnkey.oauth.account.AccountActions.DEVICE_VIEW;
import static org.turnkey.oauth.account.AccountActions.PASSWORD_CHANGE;
import static org.turnkey.oauth.account.AccountActions.PROFILE;

/**
 * The account management web UI, {@code /_turnkey/account} (spec "Account management" under
 * the OAuth 2.0 API; the metadata's {@code account_management_uri}). GET shows the page of the
 * {@code action} parameter; POST (CSRF token required) makes the change the page's form
 * confirms. A browser that is not signed in goes through the sign-in page and comes back to the
 * same action. The password is asked again before a password change, a deactivation or a
 * cross-signing reset approval once the browser's last password entry is
 * {@code turnkey.oauth.reauthentication-window} old.
 */
@WebServlet("/_turnkey/account")
public class AccountServlet extends HttpServlet {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Inject
    BrowserSessions sessions;

    @Inject
    Pages pages;

    @Inject
    Csrf csrf;

    @Inject
    AccountManagement account;

    @Inject
    OAuthSettings settings;

    @Inject
    OAuthUrls urls;

    @Inject
    Clock clock;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String deviceId = field(request, "device_id");
        String page = AccountActions.page(field(request, "action"), deviceId);
        Optional<BrowserSession> session = sessions.currentSession(request);
        if (session.isEmpty()) {
            // Through the sign-in page and back to the same action.
            pages.redirect(response, urls.basePath() + OAuthUrls.LOGIN_PAGE + "?account=1&"
                    + AccountActions.query(page, deviceId), null);
            return;
        }
        show(request, response, 200, session.get(), page, deviceId);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!csrf.valid(request)) {
            pages.error(request, response, 403,
                    "This form has expired or did not come from this server. Open the account page again.");
            return;
        }
        Optional<BrowserSession> found = sessions.currentSession(request);
        if (found.isEmpty()) {
            pages.error(request, response, 403, "You are not signed in. Open the account page again to sign in.");
            return;
        }
        BrowserSession session = found.get();
        String userId = session.userId();
        String deviceId = field(request, "device_id");
        String action = AccountActions.posted(field(request, "action"));
        if (action == null) {
            pages.error(request, response, 400, "This form is not one of the account pages'. Open the account page again.");
            return;
        }
        switch (action) {
            case DEVICE_DELETE -> {
                if (!account.signOut(userId, deviceId)) {
                    unknownDevice(request, response);
                    return;
                }
                request.setAttribute("notice", "The device " + deviceId + " is signed out.");
                show(request, response, 200, session, DEVICES_LIST, null);
            }
            case PASSWORD_CHANGE -> changePassword(request, response, session);
            case ACCOUNT_DEACTIVATE -> {
                if (!"yes".equals(field(request, "confirm"))) {
                    request.setAttribute("error", "Tick the box to confirm that you want to deactivate your account.");
                    show(request, response, 400, session, ACCOUNT_DEACTIVATE, null);
                    return;
                }
                if (!reauthenticated(request, response, session, ACCOUNT_DEACTIVATE)) {
                    return;
                }
                account.deactivate(userId);
                sessions.end(request, response);
                request.setAttribute("deactivatedUser", userId);
                render(request, response, 200, "deactivated");
            }
            case CROSS_SIGNING_RESET -> {
                if (!reauthenticated(request, response, session, CROSS_SIGNING_RESET)) {
                    return;
                }
                account.approveCrossSigningReset(userId);
                request.setAttribute("notice", "Approved. Go back to your app and reset your cross-signing keys now.");
                show(request, response, 200, session, CROSS_SIGNING_RESET, null);
            }
            default -> throw new IllegalStateException(action);
        }
    }

    private void changePassword(HttpServletRequest request, HttpServletResponse response, BrowserSession session)
            throws IOException, ServletException {
        String current = field(request, "current_password");
        String fresh = field(request, "new_password");
        if (current.isEmpty() || fresh.isEmpty()) {
            request.setAttribute("error", "Enter your current password and a new one.");
            show(request, response, 400, session, PASSWORD_CHANGE, null);
            return;
        }
        if (!fresh.equals(field(request, "new_password_confirm"))) {
            request.setAttribute("error", "The new passwords do not match.");
            show(request, response, 400, session, PASSWORD_CHANGE, null);
            return;
        }
        if (!passwordAccepted(request, response, session, current, PASSWORD_CHANGE)) {
            return;
        }
        boolean logout = "yes".equals(field(request, "logout_devices"));
        int loggedOut;
        try {
            loggedOut = account.changePassword(session.userId(), fresh, logout);
        } catch (MatrixException e) {
            request.setAttribute("error", "The new password cannot be used: " + e.getMessage());
            show(request, response, 400, session, PASSWORD_CHANGE, null);
            return;
        }
        if (logout) {
            sessions.endOthers(session.userId(), session.idHash());
        }
        request.setAttribute("notice", logout
                ? "Your password is changed. " + loggedOut + " device(s) were signed out; sign in again in your apps."
                : "Your password is changed. Your devices stay signed in.");
        show(request, response, 200, session, PROFILE, null);
    }

    /**
     * True if the password need not be entered again, or was entered right; else the page is
     * shown again asking for it (401) and false is returned.
     */
    private boolean reauthenticated(HttpServletRequest request, HttpServletResponse response, BrowserSession session,
                                    String page) throws IOException, ServletException {
        if (!reauthenticationDue(session)) {
            return true;
        }
        String password = field(request, "password");
        if (password.isEmpty()) {
            request.setAttribute("error", "Enter your password to continue: you signed in a while ago.");
            show(request, response, 401, session, page, null);
            return false;
        }
        return passwordAccepted(request, response, session, password, page);
    }

    private boolean passwordAccepted(HttpServletRequest request, HttpServletResponse response, BrowserSession session,
                                     String password, String page) throws IOException, ServletException {
        try {
            account.checkPassword(session.userId(), password);
        } catch (MatrixException e) {
            e.headers().forEach(response::setHeader);
            request.setAttribute("error", e.status() == 429 ? "Too many attempts. Wait a while, then try again."
                    : "That password is not right.");
            show(request, response, e.status() == 429 ? 429 : 401, session, page, null);
            return false;
        }
        sessions.reauthenticated(session);
        return true;
    }

    private boolean reauthenticationDue(BrowserSession session) {
        return AccountActions.reauthenticationDue(session.authenticatedTs(), clock.millis(),
                settings.reauthenticationWindow());
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status, BrowserSession session,
                      String page, String deviceId) throws IOException, ServletException {
        String userId = session.userId();
        request.setAttribute("userId", userId);
        request.setAttribute("needPassword", reauthenticationDue(session));
        request.setAttribute("devicesLink", "account?" + AccountActions.query(DEVICES_LIST, null));
        request.setAttribute("profileLink", "account?" + AccountActions.query(PROFILE, null));
        request.setAttribute("passwordLink", "account?" + AccountActions.query(PASSWORD_CHANGE, null));
        request.setAttribute("deactivateLink", "account?" + AccountActions.query(ACCOUNT_DEACTIVATE, null));
        request.setAttribute("crossSigningLink", "account?" + AccountActions.query(CROSS_SIGNING_RESET, null));
        switch (page) {
            case DEVICE_VIEW, DEVICE_DELETE -> {
                Optional<Device> device = account.device(userId, deviceId);
                if (device.isEmpty()) {
                    unknownDevice(request, response);
                    return;
                }
                request.setAttribute("device", row(device.get()));
            }
            case PROFILE -> request.setAttribute("createdAt",
                    account.user(userId).map(User::createdTs).map(AccountServlet::time).orElse(""));
            case CROSS_SIGNING_RESET -> request.setAttribute("resetAllowedUntil",
                    account.crossSigningResetAllowedUntil(userId).map(AccountServlet::time).orElse(""));
            case DEVICES_LIST -> request.setAttribute("devices",
                    account.devices(userId).stream().map(AccountServlet::row).toList());
            default -> {
            }
        }
        render(request, response, status, page.substring(page.lastIndexOf('.') + 1));
    }

    private void render(HttpServletRequest request, HttpServletResponse response, int status, String view)
            throws IOException, ServletException {
        request.setAttribute("view", view);
        pages.render(request, response, status, "account", null);
    }

    private void unknownDevice(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        pages.error(request, response, 404,
                "Your account has no device with that ID. It may have been signed out already.");
    }

    /** A device as the pages show it (EL reads maps; records need EL 6). */
    private static Map<String, String> row(Device device) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", device.deviceId());
        row.put("name", device.displayName() == null ? "" : device.displayName());
        row.put("lastSeen", device.lastSeenTs() == null ? "" : time(device.lastSeenTs()));
        row.put("lastSeenIp", device.lastSeenIp() == null ? "" : device.lastSeenIp());
        row.put("userAgent", device.lastSeenUserAgent() == null ? "" : device.lastSeenUserAgent());
        row.put("viewLink", "account?" + AccountActions.query(DEVICE_VIEW, device.deviceId()));
        row.put("deleteLink", "account?" + AccountActions.query(DEVICE_DELETE, device.deviceId()));
        return row;
    }

    private static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }

    private static String field(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null || !Text.acceptable(value) ? "" : value;
    }
}
