package org.turnkey.oauth.account;

import jakarta.json.Json;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.admin.SharedSecretMac;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.MatrixClient.Session;
import org.turnkey.support.PageBrowser;
import org.turnkey.support.PageBrowser.Page;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixAsserts.assertError;

/**
 * The account management web UI (spec "Account management" under the OAuth 2.0 API: "Account
 * management URL parameters" and "Account management URL actions"; "OAuth authentication" for
 * {@code org.matrix.cross_signing_reset}) over HTTP as a browser uses it. The re-authentication
 * window and the cross-signing approval are a few seconds here, so both can be seen running out.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AccountPagesIT {

    static final String NAME = "accountpages";
    static final String PASSWORD = "correct horse battery";
    static final String SECRET = "account-pages-shared-secret";
    static final long WINDOW_MS = 10_000;
    static final long APPROVAL_MS = 3_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.registration.shared-secret", SECRET,
                "turnkey.password.argon2.memory-kib", "1024",
                "turnkey.password.argon2.iterations", "1",
                "turnkey.oauth.reauthentication-window", "PT10S",
                "turnkey.oauth.cross-signing-reset.lifetime", "PT3S"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;

    @BeforeEach
    void setUp() {
        client = new MatrixClient(base);
    }

    private static String account(String action, String deviceId) {
        return "/_turnkey/account?action=" + action
                + (deviceId == null ? "" : "&device_id=" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8));
    }

    /** Signs a fresh browser in through the sign-in page, starting from an account page link; returns that page. */
    private Page signedIn(PageBrowser browser, String userId, String link) {
        Page redirect = browser.get(link);
        assertEquals(303, redirect.status(), redirect.toString());
        assertTrue(redirect.location().contains("_turnkey/login?account=1&"), redirect.location());
        Page login = browser.get(redirect.location());
        assertEquals(200, login.status(), login.toString());
        Page back = browser.submit(login, "login", Map.of("username", userId, "password", PASSWORD));
        assertEquals(303, back.status(), back.toString());
        assertTrue(back.location().startsWith("/_turnkey/account?"), back.location());
        return browser.get(back.location());
    }

    private Page post(PageBrowser browser, Page page, String formId, Map<String, String> fields) {
        return browser.submit(page, formId, fields);
    }

    /**
     * "Account management URL parameters": {@code action=org.matrix.device_delete&device_id=...}
     * lands, after signing in, on that device's sign-out confirmation, with the pages' headers.
     */
    @Test
    void deepLinkThroughTheSignInPageLandsOnTheDevicesSignOutConfirmation() {
        Session device = client.newSession("acctdeep", PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        Page page = signedIn(browser, device.userId(), account("org.matrix.device_delete", device.deviceId()));
        assertEquals(200, page.status(), page.toString());
        assertEquals(device.deviceId(), page.inputValue("device_delete", "device_id"));
        assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertEquals("no-store", page.header("Cache-Control"));
        // Nothing is signed out by merely opening the link.
        assertEquals(200, client.whoami(device.accessToken()).status());
    }

    /** "org.matrix.device_delete": confirming ends the device's tokens at once, and only that device's. */
    @Test
    void confirmingADeviceSignOutRefusesItsTokensAtOnce() {
        Session device = client.newSession("acctdel", PASSWORD);
        Session other = client.signIn(device.userId(), PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        Page confirm = signedIn(browser, device.userId(), account("org.matrix.device_delete", device.deviceId()));
        Page done = post(browser, confirm, "device_delete", Map.of("action", "org.matrix.device_delete",
                "device_id", device.deviceId()));
        assertEquals(200, done.status(), done.toString());
        assertTrue(done.body().contains("id=\"notice\""), done.body());
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(device.accessToken()));
        assertError(401, "M_UNKNOWN_TOKEN", client.refresh(device.refreshToken()));
        assertEquals(200, client.whoami(other.accessToken()).status());
        assertFalse(done.body().contains("data-device-id=\"" + device.deviceId() + "\""), "still listed");
    }

    /** Every state-changing form needs the CSRF token: without it, 403 and nothing changes. */
    @Test
    void formsWithoutTheirCsrfTokenAreRefusedAndChangeNothing() {
        Session device = client.newSession("acctcsrf", PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        Page confirm = signedIn(browser, device.userId(), account("org.matrix.device_delete", device.deviceId()));
        URI action = confirm.action("device_delete");
        Page forged = browser.post(action, Map.of("action", "org.matrix.device_delete", "device_id", device.deviceId()));
        assertEquals(403, forged.status(), forged.toString());
        Page wrong = browser.post(action, Map.of("csrf", "0".repeat(64), "action", "org.matrix.account_deactivate",
                "confirm", "yes", "password", PASSWORD));
        assertEquals(403, wrong.status(), wrong.toString());
        assertEquals(200, client.whoami(device.accessToken()).status());
        assertEquals(200, client.login(device.userId(), PASSWORD).status());
    }

    /** A {@code device_id} the user does not have is a friendly 404 page, for viewing and for signing out. */
    @Test
    void unknownDeviceIdIsANotFoundPage() {
        Session device = client.newSession("acctunknown", PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        Page list = signedIn(browser, device.userId(), account("org.matrix.devices_list", null));
        for (String action : new String[] {"org.matrix.device_view", "org.matrix.device_delete"}) {
            Page page = browser.get(account(action, "NOSUCHDEVICE"));
            assertEquals(404, page.status(), page.toString());
            assertTrue(page.body().contains("no device with that ID"), page.body());
        }
        Page posted = browser.post(URI.create(base + "_turnkey/account"), Map.of("csrf", list.csrf("logout"),
                "action", "org.matrix.device_delete", "device_id", "NOSUCHDEVICE"));
        assertEquals(404, posted.status(), posted.toString());
    }

    /** Another user's device is as unknown as no device: 404, and it stays signed in. */
    @Test
    void anotherUsersDeviceIsNotFoundAndStaysSignedIn() {
        Session mine = client.newSession("acctmine", PASSWORD);
        Session theirs = client.newSession("accttheirs", PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        Page page = signedIn(browser, mine.userId(), account("org.matrix.device_delete", theirs.deviceId()));
        assertEquals(404, page.status(), page.toString());
        Page list = browser.get(account("org.matrix.devices_list", null));
        assertFalse(list.body().contains(theirs.deviceId()), list.body());
        Page posted = browser.post(URI.create(base + "_turnkey/account"), Map.of("csrf", list.csrf("logout"),
                "action", "org.matrix.device_delete", "device_id", theirs.deviceId()));
        assertEquals(404, posted.status(), posted.toString());
        assertEquals(200, client.whoami(theirs.accessToken()).status());
    }

    /**
     * The older action names Element X sends ({@code org.matrix.sessions_list}, {@code session_view},
     * {@code session_end}) show the same pages as the spec's, and an unknown action the devices list.
     */
    @Test
    void olderActionNamesAndUnknownActionsShowThePagesOfTheSpecsNames() {
        Session device = client.newSession("acctlegacy", PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        Page list = signedIn(browser, device.userId(), account("org.matrix.sessions_list", null));
        assertTrue(list.body().contains("data-device-id=\"" + device.deviceId() + "\""), list.body());
        Page view = browser.get(account("org.matrix.session_view", device.deviceId()));
        assertEquals(200, view.status(), view.toString());
        assertTrue(view.body().contains("<dl id=\"device\""), view.body());
        Page end = browser.get(account("org.matrix.session_end", device.deviceId()));
        assertEquals(device.deviceId(), end.inputValue("device_delete", "device_id"));
        Page unknown = browser.get(account("com.example.unknown", null));
        assertEquals(200, unknown.status(), unknown.toString());
        assertTrue(unknown.body().contains("<ul id=\"devices\""), unknown.body());
        Page profile = browser.get(account("org.matrix.profile", null));
        assertTrue(profile.body().contains(device.userId()), profile.body());
    }

    /**
     * Password change (as {@code POST /account/password}): the current password is required; then
     * the old one is refused and, by default, every device is signed out.
     */
    @Test
    void passwordChangeNeedsTheCurrentPasswordThenRefusesTheOldOneAndSignsDevicesOut() {
        Session device = client.newSession("acctpw", PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        Page form = signedIn(browser, device.userId(), account("org.turnkey.password_change", null));
        Page wrong = post(browser, form, "password_change", Map.of("action", "org.turnkey.password_change",
                "current_password", "not the password", "new_password", "new one 1", "new_password_confirm", "new one 1",
                "logout_devices", "yes"));
        assertEquals(401, wrong.status(), wrong.toString());
        assertEquals(200, client.whoami(device.accessToken()).status());
        Page done = post(browser, wrong, "password_change", Map.of("action", "org.turnkey.password_change",
                "current_password", PASSWORD, "new_password", "new one 1", "new_password_confirm", "new one 1",
                "logout_devices", "yes"));
        assertEquals(200, done.status(), done.toString());
        assertError(403, "M_FORBIDDEN", client.login(device.userId(), PASSWORD));
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(device.accessToken()));
        assertEquals(200, client.login(device.userId(), "new one 1").status());
    }

    /** Unticking "Sign out all my devices" keeps them, as {@code logout_devices: false} does. */
    @Test
    void passwordChangeCanKeepDevicesSignedIn() {
        Session device = client.newSession("acctpwkeep", PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        Page form = signedIn(browser, device.userId(), account("org.turnkey.password_change", null));
        Page done = post(browser, form, "password_change", Map.of("action", "org.turnkey.password_change",
                "current_password", PASSWORD, "new_password", "kept 2", "new_password_confirm", "kept 2"));
        assertEquals(200, done.status(), done.toString());
        assertEquals(200, client.whoami(device.accessToken()).status());
    }

    /**
     * "org.matrix.account_deactivate": nothing happens without ticking the confirmation; then the
     * account's devices are signed out and it can never sign in again.
     */
    @Test
    void deactivationNeedsItsConfirmationThenNoSignInIsPossible() {
        Session device = client.newSession("acctdeact", PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        Page form = signedIn(browser, device.userId(), account("org.matrix.account_deactivate", null));
        Page unconfirmed = post(browser, form, "account_deactivate", Map.of("action", "org.matrix.account_deactivate"));
        assertEquals(400, unconfirmed.status(), unconfirmed.toString());
        assertEquals(200, client.whoami(device.accessToken()).status());
        // The password too, in case this slow machine took longer than the re-authentication window.
        Page done = post(browser, unconfirmed, "account_deactivate", Map.of("action", "org.matrix.account_deactivate",
                "confirm", "yes", "password", PASSWORD));
        assertEquals(200, done.status(), done.toString());
        assertTrue(done.body().contains("id=\"deactivated\""), done.body());
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(device.accessToken()));
        assertError(403, "M_USER_DEACTIVATED", client.login(device.userId(), PASSWORD));
        // The browser is signed out too: the account pages send it to the sign-in page.
        assertEquals(303, browser.get(account("org.matrix.profile", null)).status());
    }

    /**
     * Re-authentication: once the sign-in is {@code turnkey.oauth.reauthentication-window} old,
     * deactivation and the cross-signing reset ask for the password, refuse a wrong one, and a
     * right one counts as a fresh sign-in.
     */
    @Test
    void sensitiveChangesAskForThePasswordAgainOnceTheSignInIsOld() throws InterruptedException {
        Session device = client.newSession("acctreauth", PASSWORD);
        PageBrowser browser = new PageBrowser(base);
        signedIn(browser, device.userId(), account("org.matrix.profile", null));
        Thread.sleep(WINDOW_MS + 500);
        Page form = browser.get(account("org.matrix.account_deactivate", null));
        assertTrue(form.form("account_deactivate").contains("name=\"password\""), form.body());
        Page noPassword = post(browser, form, "account_deactivate", Map.of("action", "org.matrix.account_deactivate",
                "confirm", "yes"));
        assertEquals(401, noPassword.status(), noPassword.toString());
        Page reset = browser.get(account("org.matrix.cross_signing_reset", null));
        Page wrong = post(browser, reset, "cross_signing_reset", Map.of("action", "org.matrix.cross_signing_reset",
                "password", "not the password"));
        assertEquals(401, wrong.status(), wrong.toString());
        assertEquals(200, client.whoami(device.accessToken()).status());
        Page approved = post(browser, wrong, "cross_signing_reset", Map.of("action", "org.matrix.cross_signing_reset",
                "password", PASSWORD));
        assertEquals(200, approved.status(), approved.toString());
        assertTrue(approved.body().contains("id=\"reset-allowed\""), approved.body());
        // The password just entered is a fresh sign-in: the deactivation form no longer asks for it.
        Page fresh = browser.get(account("org.matrix.account_deactivate", null));
        assertFalse(fresh.form("account_deactivate").contains("name=\"password\""), fresh.body());
    }

    /**
     * "OAuth authentication" ({@code m.oauth}): {@code org.matrix.cross_signing_reset} grants an
     * approval an admin (the homeserver) can read, which ends after
     * {@code turnkey.oauth.cross-signing-reset.lifetime}; non-admins cannot read it.
     */
    @Test
    void crossSigningResetApprovalIsReadableByAnAdminAndExpires() throws InterruptedException {
        Session device = client.newSession("acctxsign", PASSWORD);
        String admin = adminToken();
        String path = "/_synapse/admin/v1/users/" + device.userId() + "/_allow_cross_signing_replacement_without_uia";
        Reply before = client.get(path, admin);
        assertEquals(200, before.status(), before.toString());
        assertFalse(before.json().getBoolean("allowed"));
        assertFalse(before.json().containsKey("updatable_without_uia_before_ms"));
        assertError(403, "M_FORBIDDEN", client.get(path, device.accessToken()));
        assertError(404, "M_NOT_FOUND", client.get(
                "/_synapse/admin/v1/users/@nobody-here:localhost/_allow_cross_signing_replacement_without_uia", admin));

        PageBrowser browser = new PageBrowser(base);
        Page page = signedIn(browser, device.userId(), account("org.matrix.cross_signing_reset", null));
        long start = System.currentTimeMillis();
        Page approved = post(browser, page, "cross_signing_reset", Map.of("action", "org.matrix.cross_signing_reset",
                "password", PASSWORD));
        long end = System.currentTimeMillis();
        assertEquals(200, approved.status(), approved.toString());
        Reply allowed = client.get(path, admin);
        assertTrue(allowed.json().getBoolean("allowed"), allowed.toString());
        long until = allowed.json().getJsonNumber("updatable_without_uia_before_ms").longValue();
        assertTrue(until >= start + APPROVAL_MS - 1000 && until <= end + APPROVAL_MS + 1000, allowed.toString());
        Thread.sleep(Math.max(0, until - System.currentTimeMillis()) + 500);
        Reply expired = client.get(path, admin);
        assertFalse(expired.json().getBoolean("allowed"), expired.toString());
    }

    private String adminToken() {
        String username = MatrixClient.unique("acctadmin");
        String nonce = client.get("/_synapse/admin/v1/register").string("nonce");
        Reply reply = client.post("/_synapse/admin/v1/register", Json.createObjectBuilder()
                .add("nonce", nonce).add("username", username).add("password", PASSWORD).add("admin", true)
                .add("mac", SharedSecretMac.compute(SECRET, nonce, username, PASSWORD, true)).build());
        assertEquals(200, reply.status(), reply.toString());
        return reply.string("access_token");
    }
}
