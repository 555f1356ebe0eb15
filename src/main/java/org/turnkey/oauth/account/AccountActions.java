package org.turnkey.oauth.account;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The account management URL's actions (spec "Account management" under the OAuth 2.0 API,
 * "Account management URL actions") and the rules of the account pages that need no database:
 * which page an action shows, and when the password must be entered again.
 */
public final class AccountActions {

    public static final String PROFILE = "org.matrix.profile";
    public static final String DEVICES_LIST = "org.matrix.devices_list";
    public static final String DEVICE_VIEW = "org.matrix.device_view";
    public static final String DEVICE_DELETE = "org.matrix.device_delete";
    public static final String ACCOUNT_DEACTIVATE = "org.matrix.account_deactivate";
    public static final String CROSS_SIGNING_RESET = "org.matrix.cross_signing_reset";
    /** Turnkey's own page (the spec defines no action for it): change the password. */
    public static final String PASSWORD_CHANGE = "org.turnkey.password_change";

    /** The names MSC4191 used before the spec's; Element X still sends them. */
    static final Map<String, String> LEGACY = Map.of(
            "org.matrix.sessions_list", DEVICES_LIST,
            "org.matrix.session_view", DEVICE_VIEW,
            "org.matrix.session_end", DEVICE_DELETE);

    /** What the metadata's {@code account_management_actions_supported} lists: the spec's names, then the older ones. */
    public static final List<String> SUPPORTED = List.of(PROFILE, DEVICES_LIST, DEVICE_VIEW, DEVICE_DELETE,
            ACCOUNT_DEACTIVATE, CROSS_SIGNING_RESET,
            "org.matrix.sessions_list", "org.matrix.session_view", "org.matrix.session_end");

    private static final List<String> PAGES = List.of(PROFILE, DEVICES_LIST, DEVICE_VIEW, DEVICE_DELETE,
            ACCOUNT_DEACTIVATE, CROSS_SIGNING_RESET, PASSWORD_CHANGE);

    private AccountActions() {
    }

    /**
     * The page an action shows: its own, the spec name for an older name, the devices list for
     * no action or an unknown one (the spec leaves the default to the server), and the devices
     * list for a device action without a {@code device_id} (which the spec only says SHOULD be there).
     */
    public static String page(String action, String deviceId) {
        String name = action == null ? DEVICES_LIST : LEGACY.getOrDefault(action, action);
        if (!PAGES.contains(name)) {
            return DEVICES_LIST;
        }
        if ((name.equals(DEVICE_VIEW) || name.equals(DEVICE_DELETE)) && (deviceId == null || deviceId.isEmpty())) {
            return DEVICES_LIST;
        }
        return name;
    }

    /** A form's action (spec names and older names alike), or null if no form does that. */
    public static String posted(String action) {
        String name = action == null ? null : LEGACY.getOrDefault(action, action);
        return name != null && List.of(DEVICE_DELETE, PASSWORD_CHANGE, ACCOUNT_DEACTIVATE, CROSS_SIGNING_RESET)
                .contains(name) ? name : null;
    }

    /**
     * Whether the password must be entered again before a sensitive change: the browser's last
     * password entry ({@code BrowserSession.authenticatedTs}) is {@code window} old or older.
     */
    public static boolean reauthenticationDue(long authenticatedTs, long now, Duration window) {
        return now - authenticatedTs >= window.toMillis();
    }

    /** The query string of an account page link. */
    public static String query(String action, String deviceId) {
        StringBuilder query = new StringBuilder("action=").append(encode(action));
        if (deviceId != null && !deviceId.isEmpty()) {
            query.append("&device_id=").append(encode(deviceId));
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
