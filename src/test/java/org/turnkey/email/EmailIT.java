package org.turnkey.email;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.support.Deployments;
import org.turnkey.support.Mailbox;
import org.turnkey.support.OAuthFixture;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.PageBrowser;

import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixAsserts.assertError;
import static org.turnkey.support.MatrixClient.unique;

/**
 * Email on accounts over HTTP, with GreenMail as the SMTP server (issue 23): spec "Adding Account
 * Administrative Contact Information" ({@code administrative_contact.yaml}), the requestToken
 * endpoints of {@code registration.yaml} and {@code password_management.yaml}, "Email-based
 * (identity / homeserver)" ({@code m.login.email.identity}), {@code m.id.thirdparty} at login,
 * {@code m.3pid_changes}, and Synapse's admin API shapes for {@code threepids}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmailIT {

    private static final String PASSWORD = "correct horse battery";
    private static final String NEW_PASSWORD = "staple battery horse";
    /** Every test's requestToken calls together stay below this; the last test uses up the rest. */
    private static final int CLIENT_BURST = 50;
    private static final Duration LIFETIME = Duration.ofSeconds(15);
    private static final String SECRET = "email-it-shared-secret-0123456789";

    static Mailbox mailbox;

    @Deployment(testable = false)
    static WebArchive deployment() {
        mailbox = new Mailbox();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("turnkey.registration.enabled", "true");
        settings.put("turnkey.registration.shared-secret", SECRET);
        settings.putAll(mailbox.settings());
        settings.put("turnkey.email.token-lifetime", LIFETIME.toString());
        settings.put("turnkey.ratelimit.enabled", "true");
        for (String name : TurnkeyConfig.RATE_LIMIT_DEFAULTS.keySet()) {
            settings.put("turnkey.ratelimit." + name + ".per-second", "100");
            settings.put("turnkey.ratelimit." + name + ".burst-count", "1000");
        }
        settings.put("turnkey.ratelimit.email.client-address.per-second", "0.0001");
        settings.put("turnkey.ratelimit.email.client-address.burst-count", Integer.toString(CLIENT_BURST));
        settings.put("turnkey.ratelimit.email.address.per-second", "0.0001");
        settings.put("turnkey.ratelimit.email.address.burst-count", "3");
        return Deployments.war("email", settings);
    }

    @AfterAll
    static void stopMailbox() {
        if (mailbox != null) {
            mailbox.close();
        }
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    PageBrowser browser;

    @BeforeEach
    void client() {
        client = new MatrixClient(base);
        browser = new PageBrowser(base);
    }

    // ---- helpers ----

    private static String address() {
        return unique("mail") + "@example.org";
    }

    private Reply requestToken(String path, String secret, String email, int attempt) {
        return client.post("/_matrix/client/v3/" + path, Json.createObjectBuilder()
                .add("client_secret", secret).add("email", email).add("send_attempt", attempt).build());
    }

    /** Opens the emailed link and presses Confirm, as the user does. */
    private PageBrowser.Page followLink(Mailbox.Mail mail) {
        PageBrowser.Page page = browser.get(mail.link());
        assertEquals(200, page.status(), page.toString());
        assertTrue(page.hasForm("validate"), page.toString());
        return browser.submit(page, "validate", Map.of("sid", page.inputValue("validate", "sid"),
                "client_secret", page.inputValue("validate", "client_secret"), "token", page.inputValue("validate", "token")));
    }

    private static JsonObject passwordAuth(String userId, String session, String password) {
        return Json.createObjectBuilder().add("type", "m.login.password").add("session", session)
                .add("identifier", Json.createObjectBuilder().add("type", "m.id.user").add("user", userId))
                .add("password", password).build();
    }

    /** Adds a validated address to the account through the whole spec flow. */
    private void addAddress(MatrixClient.Session user, String email) {
        String secret = unique("secret");
        Reply requested = requestToken("account/3pid/email/requestToken", secret, email, 1);
        assertEquals(200, requested.status(), requested.toString());
        String sid = requested.string("sid");
        PageBrowser.Page done = followLink(mailbox.await(email));
        assertTrue(done.body().contains("id=\"validated\""), done.toString());
        JsonObjectBuilder body = Json.createObjectBuilder().add("sid", sid).add("client_secret", secret);
        Reply challenge = client.post("/_matrix/client/v3/account/3pid/add", body.build(), user.accessToken());
        assertEquals(401, challenge.status(), challenge.toString());
        Reply added = client.post("/_matrix/client/v3/account/3pid/add", body
                .add("sid", sid).add("client_secret", secret)
                .add("auth", passwordAuth(user.userId(), challenge.string("session"), PASSWORD)).build(), user.accessToken());
        assertEquals(200, added.status(), added.toString());
    }

    private Reply threepids(MatrixClient.Session user) {
        return client.get("/_matrix/client/v3/account/3pid", user.accessToken());
    }

    // ---- m.3pid_changes; 3PID add, validate, list, delete (administrative_contact.yaml) ----

    @Test
    @Order(1)
    void capabilitiesAdvertiseThreepidChanges() {
        MatrixClient.Session user = client.newSession("cap", PASSWORD);
        Reply caps = client.get("/_matrix/client/v3/capabilities", user.accessToken());
        assertTrue(caps.json().getJsonObject("capabilities").getJsonObject("m.3pid_changes").getBoolean("enabled"), caps.toString());
    }

    @Test
    @Order(2)
    void addressIsValidatedByTheEmailedLinkThenAddedListedAndDeleted() {
        MatrixClient.Session user = client.newSession("add", PASSWORD);
        String email = address();
        assertEquals(0, threepids(user).json().getJsonArray("threepids").size());
        addAddress(user, email);
        Reply listed = threepids(user);
        assertEquals(1, listed.json().getJsonArray("threepids").size(), listed.toString());
        JsonObject threepid = listed.json().getJsonArray("threepids").getJsonObject(0);
        assertEquals("email", threepid.getString("medium"));
        assertEquals(email, threepid.getString("address"));
        assertTrue(threepid.getJsonNumber("validated_at").longValue() > 0);
        assertTrue(threepid.getJsonNumber("added_at").longValue() >= threepid.getJsonNumber("validated_at").longValue());

        Reply deleted = client.post("/_matrix/client/v3/account/3pid/delete", Json.createObjectBuilder()
                .add("medium", "email").add("address", email.toUpperCase()).build(), user.accessToken());
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals("no-support", deleted.string("id_server_unbind_result"));
        assertEquals(0, threepids(user).json().getJsonArray("threepids").size());
    }

    @Test
    @Order(3)
    void anAddressBelongsToOneAccountOnly() {
        MatrixClient.Session first = client.newSession("inuse", PASSWORD);
        String email = address();
        addAddress(first, email);
        Reply again = requestToken("account/3pid/email/requestToken", unique("s"), email.toUpperCase(), 1);
        assertError(400, "M_THREEPID_IN_USE", again);
        Reply register = requestToken("register/email/requestToken", unique("s"), email, 1);
        assertError(400, "M_THREEPID_IN_USE", register);
    }

    @Test
    @Order(4)
    void anUnvalidatedSessionCannotBeAdded() {
        MatrixClient.Session user = client.newSession("unval", PASSWORD);
        String secret = unique("secret");
        String email = address();
        String sid = requestToken("account/3pid/email/requestToken", secret, email, 1).string("sid");
        JsonObjectBuilder body = Json.createObjectBuilder().add("sid", sid).add("client_secret", secret);
        Reply challenge = client.post("/_matrix/client/v3/account/3pid/add", body.build(), user.accessToken());
        Reply refused = client.post("/_matrix/client/v3/account/3pid/add", body.add("sid", sid).add("client_secret", secret)
                .add("auth", passwordAuth(user.userId(), challenge.string("session"), PASSWORD)).build(), user.accessToken());
        assertError(400, "M_THREEPID_AUTH_FAILED", refused);
        assertEquals(0, threepids(user).json().getJsonArray("threepids").size());
    }

    @Test
    @Order(5)
    void theTokenWorksOnceThroughSubmitUrlOrLink() {
        String secret = unique("secret");
        String email = address();
        Reply requested = requestToken("account/3pid/email/requestToken", secret, email, 1);
        assertTrue(requested.string("submit_url").endsWith("/_turnkey/email/submit_token"), requested.toString());
        Mailbox.Mail mail = mailbox.await(email);
        String sid = requested.string("sid");
        JsonObject wrong = Json.createObjectBuilder().add("sid", sid).add("client_secret", secret).add("token", "nope").build();
        assertFalse(client.post("/_turnkey/email/submit_token", wrong).json().getBoolean("success"));
        JsonObject right = Json.createObjectBuilder().add("sid", sid).add("client_secret", secret).add("token", mail.token()).build();
        assertTrue(client.post("/_turnkey/email/submit_token", right).json().getBoolean("success"));
        assertFalse(client.post("/_turnkey/email/submit_token", right).json().getBoolean("success"), "single use");
        PageBrowser.Page used = followLink(mail);
        assertEquals(400, used.status(), used.toString());
    }

    @Test
    @Order(6)
    void openingTheLinkAloneValidatesNothing() {
        MatrixClient.Session user = client.newSession("scan", PASSWORD);
        String secret = unique("secret");
        String email = address();
        String sid = requestToken("account/3pid/email/requestToken", secret, email, 1).string("sid");
        assertEquals(200, browser.get(mailbox.await(email).link()).status());
        JsonObjectBuilder body = Json.createObjectBuilder().add("sid", sid).add("client_secret", secret);
        Reply challenge = client.post("/_matrix/client/v3/account/3pid/add", body.build(), user.accessToken());
        Reply refused = client.post("/_matrix/client/v3/account/3pid/add", body.add("sid", sid).add("client_secret", secret)
                .add("auth", passwordAuth(user.userId(), challenge.string("session"), PASSWORD)).build(), user.accessToken());
        assertError(400, "M_THREEPID_AUTH_FAILED", refused);
    }

    @Test
    @Order(7)
    void repeatingASendAttemptSendsNothingNew() throws Exception {
        String secret = unique("secret");
        String email = address();
        Reply first = requestToken("account/3pid/email/requestToken", secret, email, 1);
        Reply repeat = requestToken("account/3pid/email/requestToken", secret, email, 1);
        assertEquals(first.string("sid"), repeat.string("sid"));
        mailbox.await(email);
        Thread.sleep(1500);
        assertEquals(1, mailbox.to(email).size(), "the same send_attempt sends one email");
        Reply next = requestToken("account/3pid/email/requestToken", secret, email, 2);
        assertEquals(first.string("sid"), next.string("sid"));
        mailbox.await(email, 2, Duration.ofSeconds(30));
    }

    @Test
    @Order(8)
    void phoneNumbersAndIdentityServersAreNotSupported() {
        MatrixClient.Session user = client.newSession("msisdn", PASSWORD);
        JsonObject phone = Json.createObjectBuilder().add("client_secret", "s3cret").add("country", "GB")
                .add("phone_number", "07700900001").add("send_attempt", 1).build();
        assertError(400, "M_THREEPID_MEDIUM_NOT_SUPPORTED", client.post("/_matrix/client/v3/account/3pid/msisdn/requestToken", phone));
        assertError(400, "M_THREEPID_MEDIUM_NOT_SUPPORTED", client.post("/_matrix/client/v3/register/msisdn/requestToken", phone));
        assertError(400, "M_THREEPID_MEDIUM_NOT_SUPPORTED",
                client.post("/_matrix/client/v3/account/password/msisdn/requestToken", phone));
        assertError(400, "M_SERVER_NOT_TRUSTED", client.post("/_matrix/client/v3/account/3pid/bind", Json.createObjectBuilder()
                .add("client_secret", "s").add("id_server", "id.example.org").add("id_access_token", "t").add("sid", "x").build(),
                user.accessToken()));
        Reply unbind = client.post("/_matrix/client/v3/account/3pid/unbind", Json.createObjectBuilder()
                .add("medium", "email").add("address", "a@example.org").build(), user.accessToken());
        assertEquals("no-support", unbind.string("id_server_unbind_result"), unbind.toString());
        assertError(400, "M_INVALID_PARAM", requestToken("account/3pid/email/requestToken", "s", "not an address", 1));
        assertError(400, "M_INVALID_PARAM", requestToken("account/3pid/email/requestToken", "bad secret!", address(), 1));
    }

    /**
     * {@code next_link} (the Identity Service API's {@code request_email_validation}, which the
     * requestToken bodies include): "When the validation is completed, the identity server will
     * redirect the user to this URL". The page names the host, and its Confirm answers 303 there.
     */
    @Test
    @Order(9)
    void confirmingTheLinkRedirectsToTheNextLink() {
        MatrixClient.Session user = client.newSession("next", PASSWORD);
        String secret = unique("secret");
        String email = address();
        String next = "https://app.example.org/validated?step=2";
        Reply requested = client.post("/_matrix/client/v3/account/3pid/email/requestToken", Json.createObjectBuilder()
                .add("client_secret", secret).add("email", email).add("send_attempt", 1).add("next_link", next).build());
        assertEquals(200, requested.status(), requested.toString());
        PageBrowser.Page page = browser.get(mailbox.await(email).link());
        assertEquals(200, page.status(), page.toString());
        assertTrue(page.body().contains("id=\"next-host\"") && page.body().contains("app.example.org"), page.toString());
        assertTrue(page.header("Content-Security-Policy").contains("https://app.example.org"),
                "the form's redirect is allowed: " + page.header("Content-Security-Policy"));
        PageBrowser.Page confirmed = browser.submit(page, "validate", Map.of("sid", page.inputValue("validate", "sid"),
                "client_secret", page.inputValue("validate", "client_secret"), "token", page.inputValue("validate", "token")));
        assertEquals(303, confirmed.status(), confirmed.toString());
        assertEquals(next, confirmed.location());
        // The redirect came after the validation: the session adds the address.
        JsonObjectBuilder body = Json.createObjectBuilder().add("sid", requested.string("sid")).add("client_secret", secret);
        Reply challenge = client.post("/_matrix/client/v3/account/3pid/add", body.build(), user.accessToken());
        Reply added = client.post("/_matrix/client/v3/account/3pid/add", body.add("sid", requested.string("sid"))
                .add("client_secret", secret)
                .add("auth", passwordAuth(user.userId(), challenge.string("session"), PASSWORD)).build(), user.accessToken());
        assertEquals(200, added.status(), added.toString());
        // A wrong token redirects nowhere.
        PageBrowser.Page again = browser.submit(page, "validate", Map.of("sid", page.inputValue("validate", "sid"),
                "client_secret", page.inputValue("validate", "client_secret"), "token", "wrong"));
        assertEquals(400, again.status(), again.toString());
        assertEquals(null, again.location());
    }

    /** As Synapse: a next_link that is not an absolute http(s) URL is 400 M_INVALID_PARAM, and nothing is mailed. */
    @Test
    @Order(10)
    void aNextLinkThatIsNotAnAbsoluteHttpUrlIsRefused() {
        for (String link : java.util.List.of("javascript:alert(document.cookie)", "ftp://files.example.org/x",
                "/_turnkey/relative", "relative/path", "//app.example.org/no-scheme")) {
            for (String path : java.util.List.of("account/3pid/email/requestToken", "register/email/requestToken",
                    "account/password/email/requestToken")) {
                Reply refused = client.post("/_matrix/client/v3/" + path, Json.createObjectBuilder()
                        .add("client_secret", unique("s")).add("email", address()).add("send_attempt", 1)
                        .add("next_link", link).build());
                assertError(400, "M_INVALID_PARAM", refused);
            }
        }
    }

    /**
     * The deprecated {@code POST /account/3pid} (administrative_contact.yaml: "equivalent to
     * /3pid/bind"): it needs an access token and a {@code three_pid_creds} object, then answers
     * the spec's 403 {@code M_THREEPID_AUTH_FAILED} ("The credentials could not be verified with
     * the identity server"): this server binds no address to an identity server. Also under r0.
     */
    @Test
    @Order(11)
    void theDeprecatedThreepidPostNeedsATokenAndCredsThenAnswersThreepidAuthFailed() {
        MatrixClient.Session user = client.newSession("dep3pid", PASSWORD);
        JsonObject valid = Json.createObjectBuilder().add("three_pid_creds", Json.createObjectBuilder()
                .add("id_server", "id.example.org").add("id_access_token", "abc").add("sid", "x")
                .add("client_secret", "d0nt-T3ll")).build();
        for (String version : java.util.List.of("v3", "r0")) {
            String path = "/_matrix/client/" + version + "/account/3pid";
            assertError(401, "M_MISSING_TOKEN", client.post(path, valid));
            Reply refused = client.post(path, valid, user.accessToken());
            assertError(403, "M_THREEPID_AUTH_FAILED", refused);
            assertTrue(refused.string("error").contains("/account/3pid/add"), refused.toString());
            assertError(400, "M_MISSING_PARAM", client.post(path, Json.createObjectBuilder().build(), user.accessToken()));
            assertError(400, "M_MISSING_PARAM", client.post(path, Json.createObjectBuilder()
                    .add("three_pid_creds", Json.createObjectBuilder().add("sid", "x")).build(), user.accessToken()));
            assertError(400, "M_BAD_JSON", client.post(path, Json.createObjectBuilder()
                    .add("three_pid_creds", "not an object").build(), user.accessToken()));
            assertError(400, "M_NOT_JSON", client.send(client.request(path, user.accessToken())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("not json"))));
        }
        assertEquals(0, threepids(user).json().getJsonArray("threepids").size());
    }

    // ---- forgot password (password_management.yaml, m.login.email.identity) ----

    @Test
    @Order(20)
    void aForgottenPasswordIsResetByEmailAndOtherDevicesAreSignedOut() {
        MatrixClient.Session user = client.newSession("forgot", PASSWORD);
        String email = address();
        addAddress(user, email);
        String secret = unique("secret");
        Reply requested = requestToken("account/password/email/requestToken", secret, email, 1);
        assertEquals(200, requested.status(), requested.toString());
        Mailbox.Mail mail = mailbox.await(email, 2, Duration.ofSeconds(30));
        assertTrue(mail.text().contains(user.userId()), mail.text());
        followLink(mail);

        Reply challenge = client.post("/_matrix/client/v3/account/password",
                Json.createObjectBuilder().add("new_password", NEW_PASSWORD).build());
        assertEquals(401, challenge.status(), challenge.toString());
        assertEquals("m.login.email.identity", challenge.json().getJsonArray("flows").getJsonObject(0)
                .getJsonArray("stages").getString(0));
        Reply reset = client.post("/_matrix/client/v3/account/password", Json.createObjectBuilder()
                .add("new_password", NEW_PASSWORD)
                .add("auth", Json.createObjectBuilder().add("type", "m.login.email.identity")
                        .add("session", challenge.string("session"))
                        .add("threepid_creds", Json.createObjectBuilder().add("sid", requested.string("sid"))
                                .add("client_secret", secret))).build());
        assertEquals(200, reset.status(), reset.toString());
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(user.accessToken()));
        assertError(403, "M_FORBIDDEN", client.login(user.userId(), PASSWORD));
        assertEquals(200, client.login(user.userId(), NEW_PASSWORD).status());

        // The session is used up: the same creds cannot reset again.
        Reply again = client.post("/_matrix/client/v3/account/password",
                Json.createObjectBuilder().add("new_password", PASSWORD).build());
        Reply replay = client.post("/_matrix/client/v3/account/password", Json.createObjectBuilder()
                .add("new_password", PASSWORD)
                .add("auth", Json.createObjectBuilder().add("type", "m.login.email.identity")
                        .add("session", again.string("session"))
                        .add("threepid_creds", Json.createObjectBuilder().add("sid", requested.string("sid"))
                                .add("client_secret", secret))).build());
        assertError(401, "M_THREEPID_AUTH_FAILED", replay);
    }

    @Test
    @Order(21)
    void anUnknownAddressGetsTheSameAnswerAsAKnownOne() {
        MatrixClient.Session user = client.newSession("known", PASSWORD);
        String known = address();
        addAddress(user, known);
        String unknown = address();
        Reply forKnown = requestToken("account/password/email/requestToken", unique("s"), known, 1);
        Reply forUnknown = requestToken("account/password/email/requestToken", unique("s"), unknown, 1);
        assertEquals(forKnown.status(), forUnknown.status(), forUnknown.toString());
        assertEquals(forKnown.json().keySet(), forUnknown.json().keySet());
        assertEquals(Set.of("sid", "submit_url"), forUnknown.json().keySet());
        Mailbox.Mail notice = mailbox.await(unknown);
        assertTrue(notice.text().contains("no account"), notice.text());
        assertFalse(notice.text().contains("/_turnkey/email/validate"), "no link for an address no account has");
    }

    @Test
    @Order(22)
    void aResetSessionCannotBeUsedWithoutFollowingTheLink() {
        MatrixClient.Session user = client.newSession("nolink", PASSWORD);
        String email = address();
        addAddress(user, email);
        String secret = unique("secret");
        String sid = requestToken("account/password/email/requestToken", secret, email, 1).string("sid");
        Reply challenge = client.post("/_matrix/client/v3/account/password",
                Json.createObjectBuilder().add("new_password", NEW_PASSWORD).build());
        Reply refused = client.post("/_matrix/client/v3/account/password", Json.createObjectBuilder()
                .add("new_password", NEW_PASSWORD)
                .add("auth", Json.createObjectBuilder().add("type", "m.login.email.identity")
                        .add("session", challenge.string("session"))
                        .add("threepid_creds", Json.createObjectBuilder().add("sid", sid).add("client_secret", secret))).build());
        assertError(401, "M_THREEPID_AUTH_FAILED", refused);
        assertEquals(200, client.login(user.userId(), PASSWORD).status(), "the password is unchanged");
    }

    @Test
    @Order(23)
    void theSignInPageLinksToAPasswordResetInTheBrowser() {
        MatrixClient.Session user = client.newSession("browser", PASSWORD);
        String email = address();
        addAddress(user, email);
        PageBrowser.Page signIn = browser.get("/_turnkey/login?account=1");
        assertTrue(signIn.body().contains("id=\"forgot-password\""), signIn.toString());
        PageBrowser.Page forgot = browser.get("/_turnkey/password/forgot");
        assertEquals(200, forgot.status(), forgot.toString());
        PageBrowser.Page sent = browser.submit(forgot, "forgot", Map.of("email", email));
        assertTrue(sent.body().contains("id=\"sent\""), sent.toString());
        PageBrowser.Page unknown = browser.submit(browser.get("/_turnkey/password/forgot"), "forgot", Map.of("email", address()));
        assertEquals(sent.status(), unknown.status());
        assertTrue(unknown.body().contains("id=\"sent\""), "an unknown address is answered the same: " + unknown);

        PageBrowser.Page confirmed = followLink(mailbox.await(email, 2, Duration.ofSeconds(30)));
        assertTrue(confirmed.hasForm("reset"), confirmed.toString());
        PageBrowser.Page differ = browser.submit(confirmed, "reset", Map.of("sid", confirmed.inputValue("reset", "sid"),
                "client_secret", confirmed.inputValue("reset", "client_secret"),
                "new_password", NEW_PASSWORD, "new_password_confirm", "something else"));
        assertEquals(400, differ.status(), differ.toString());
        PageBrowser.Page changed = browser.submit(differ, "reset", Map.of("sid", differ.inputValue("reset", "sid"),
                "client_secret", differ.inputValue("reset", "client_secret"),
                "new_password", NEW_PASSWORD, "new_password_confirm", NEW_PASSWORD));
        assertTrue(changed.body().contains("id=\"changed\""), changed.toString());
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(user.accessToken()));
        assertEquals(200, client.login(user.userId(), NEW_PASSWORD).status());
        PageBrowser.Page again = browser.submit(differ, "reset", Map.of("sid", differ.inputValue("reset", "sid"),
                "client_secret", differ.inputValue("reset", "client_secret"),
                "new_password", PASSWORD, "new_password_confirm", PASSWORD));
        assertEquals(400, again.status(), "the link works once: " + again);
    }

    // ---- registration with email (registration.yaml, m.login.email.identity) ----

    @Test
    @Order(30)
    void registrationOffersTheEmailStageAndTheValidatedAddressBecomesTheAccounts() {
        String name = unique("withmail");
        String email = address();
        JsonObject body = Json.createObjectBuilder().add("username", name).add("password", PASSWORD).build();
        Reply challenge = client.post("/_matrix/client/v3/register", body);
        assertEquals(401, challenge.status(), challenge.toString());
        assertEquals(java.util.List.of(java.util.List.of("m.login.dummy"), java.util.List.of("m.login.email.identity")),
                org.turnkey.uia.Uia.flows(challenge));
        String secret = unique("secret");
        Reply requested = requestToken("register/email/requestToken", secret, email, 1);
        assertEquals(200, requested.status(), requested.toString());
        JsonObject auth = Json.createObjectBuilder().add("type", "m.login.email.identity")
                .add("session", challenge.string("session"))
                .add("threepid_creds", Json.createObjectBuilder().add("sid", requested.string("sid"))
                        .add("client_secret", secret)).build();
        // Before the link is followed the stage fails, and the session stays open.
        Reply early = client.post("/_matrix/client/v3/register", Json.createObjectBuilder(body).add("auth", auth).build());
        assertError(401, "M_THREEPID_AUTH_FAILED", early);
        followLink(mailbox.await(email));
        Reply registered = client.post("/_matrix/client/v3/register", Json.createObjectBuilder(body).add("auth", auth).build());
        assertEquals(200, registered.status(), registered.toString());
        Reply listed = client.get("/_matrix/client/v3/account/3pid", registered.string("access_token"));
        assertEquals(email, listed.json().getJsonArray("threepids").getJsonObject(0).getString("address"), listed.toString());
    }

    // ---- the OAuth 2.0 registration page with an address (spec prompt=create; issue 23 point 3) ----

    /** An authorisation request with prompt=create for a new client: the browser lands on the registration page. */
    private PageBrowser.Page registrationPage(PageBrowser b) {
        return new OAuthFixture(client, "email").registrationPage(b, "Mail App " + unique("c"), unique("DEV"));
    }

    /** Fills in the registration form; with an address, answers the "Check your email" page. */
    private PageBrowser.Page submitRegistration(PageBrowser b, PageBrowser.Page page, String name, String email) {
        PageBrowser.Page submitted = b.submit(page, "register", Map.of("username", name, "password", PASSWORD,
                "password_confirm", PASSWORD, "email", email));
        if (email.isEmpty() || submitted.status() != 303 || !submitted.location().startsWith("/_turnkey/register-email?")) {
            return submitted;
        }
        PageBrowser.Page waiting = b.get(submitted.location());
        assertEquals(200, waiting.status(), waiting.toString());
        assertTrue(waiting.hasForm("confirm-email"), waiting.toString());
        return waiting;
    }

    /** After the account is made: signed in, on to the consent page, and a code for the client. */
    private void consentsAndGetsACode(PageBrowser b, PageBrowser.Page created, String userId) {
        assertEquals(303, created.status(), created.toString());
        assertTrue(created.location().startsWith("/_turnkey/oauth2/authorize?"), created.location());
        PageBrowser.Page toConsent = b.get(created.location());
        assertEquals(303, toConsent.status(), toConsent.toString());
        PageBrowser.Page consent = b.get(toConsent.location());
        assertEquals(200, consent.status(), consent.toString());
        assertTrue(consent.body().contains(userId), consent.toString());
        PageBrowser.Page back = b.submit(consent, "consent", Map.of("decision", "allow"));
        assertEquals(303, back.status(), back.toString());
        assertTrue(back.location().startsWith(OAuthFixture.REDIRECT + "?"), back.location());
        assertTrue(PageBrowser.params(back.location().substring(OAuthFixture.REDIRECT.length() + 1)).containsKey("code"),
                back.location());
    }

    private String pendingPasswordHash(String userId) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(Deployments.jdbcUrl("email"), "turnkey", "turnkey");
             java.sql.PreparedStatement q = c.prepareStatement("SELECT password_hash FROM pending_registrations WHERE user_id = ?")) {
            q.setString(1, userId);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * The page asks for an address (optional here), mails the same validation as
     * {@code /register/email/requestToken}, and waits server-side (the password only as its
     * Argon2id hash) until the code from the mail is typed in; a wrong code or none yet is
     * refused; then the account exists with the address validated, and the usual consent follows.
     */
    @Test
    @Order(34)
    void theRegistrationPageMailsACodeAndCreatesTheAccountWithTheValidatedAddress() throws Exception {
        String name = unique("page");
        String userId = "@" + name + ":localhost";
        String email = address();
        PageBrowser b = new PageBrowser(base);
        PageBrowser.Page form = registrationPage(b);
        assertTrue(form.form("register").contains("name=\"email\""), form.toString());
        assertTrue(form.body().contains("(optional)"), "optional without turnkey.registration.requires-email");
        PageBrowser.Page waiting = submitRegistration(b, form, name, email.toUpperCase());
        assertTrue(waiting.body().contains(email), "the page names the address: " + waiting);
        assertError(403, "M_FORBIDDEN", client.login(name, PASSWORD));
        String stored = pendingPasswordHash(userId);
        assertTrue(stored != null && stored.startsWith("$argon2id$") && !stored.contains(PASSWORD), stored);
        Mailbox.Mail mail = mailbox.await(email);
        assertTrue(mail.text().contains(mail.token()), mail.text());

        PageBrowser.Page wrong = b.submit(waiting, "confirm-email", Map.of("code", "not-the-code"));
        assertEquals(400, wrong.status(), wrong.toString());
        assertTrue(wrong.body().contains("aria-invalid=\"true\""), wrong.toString());
        PageBrowser.Page notYet = b.submit(wrong, "confirm-email", Map.of("code", ""));
        assertEquals(400, notYet.status(), notYet.toString());
        assertTrue(notYet.body().contains("not confirmed yet"), notYet.toString());
        PageBrowser.Page created = b.submit(notYet, "confirm-email", Map.of("code", mail.token()));
        consentsAndGetsACode(b, created, userId);

        Reply login = client.login(name, PASSWORD);
        assertEquals(200, login.status(), login.toString());
        JsonObject threepid = client.get("/_matrix/client/v3/account/3pid", login.string("access_token")).json()
                .getJsonArray("threepids").getJsonObject(0);
        assertEquals(email, threepid.getString("address"));
        assertTrue(threepid.getJsonNumber("validated_at").longValue() > 0, threepid.toString());
        assertEquals(null, pendingPasswordHash(userId), "the waiting form is gone");
        // The session was used up with the account: the same code (or a resubmission) creates nothing.
        PageBrowser.Page again = b.submit(notYet, "confirm-email", Map.of("code", mail.token()));
        assertEquals(400, again.status(), again.toString());
        assertTrue(again.body().contains("id=\"expired\""), again.toString());
    }

    /**
     * The mail's link, opened in another browser (a phone) and confirmed there, validates the
     * waiting form: Continue with no code then creates the account. An address an account has is
     * refused on the form; an optional address left empty registers at once without mail.
     */
    @Test
    @Order(35)
    void theMailsLinkConfirmedElsewhereLetsTheWaitingPageContinue() {
        String name = unique("link");
        String email = address();
        PageBrowser b = new PageBrowser(base);
        PageBrowser.Page waiting = submitRegistration(b, registrationPage(b), name, email);
        PageBrowser.Page confirmed = new Phone(new PageBrowser(base)).confirm(mailbox.await(email));
        assertTrue(confirmed.body().contains("id=\"validated\""), confirmed.toString());
        consentsAndGetsACode(b, b.submit(waiting, "confirm-email", Map.of("code", "")), "@" + name + ":localhost");

        PageBrowser other = new PageBrowser(base);
        PageBrowser.Page inUse = submitRegistration(other, registrationPage(other), unique("dup"), email);
        assertEquals(400, inUse.status(), inUse.toString());
        assertTrue(inUse.body().contains("already uses that email address"), inUse.toString());
        assertTrue(inUse.body().contains("id=\"email\"") && inUse.body().contains("aria-invalid=\"true\""), inUse.toString());
        PageBrowser.Page invalid = submitRegistration(other, inUse, unique("bad"), "not an address");
        assertEquals(400, invalid.status(), invalid.toString());

        String plain = unique("nomail");
        PageBrowser third = new PageBrowser(base);
        consentsAndGetsACode(third, submitRegistration(third, registrationPage(third), plain, ""), "@" + plain + ":localhost");
    }

    /** A second browser, as a phone opening the mail. */
    private record Phone(PageBrowser browser) {
        PageBrowser.Page confirm(Mailbox.Mail mail) {
            PageBrowser.Page page = browser.get(mail.link());
            assertEquals(200, page.status(), page.toString());
            return browser.submit(page, "validate", Map.of("sid", page.inputValue("validate", "sid"),
                    "client_secret", page.inputValue("validate", "client_secret"), "token", page.inputValue("validate", "token")));
        }
    }

    // ---- login by email (spec "Identifier types": m.id.thirdparty) ----

    @Test
    @Order(31)
    void aValidatedAddressLogsInLikeTheUserId() {
        MatrixClient.Session user = client.newSession("bymail", PASSWORD);
        String email = address();
        addAddress(user, email);
        JsonObject login = Json.createObjectBuilder().add("type", "m.login.password").add("password", PASSWORD)
                .add("identifier", Json.createObjectBuilder().add("type", "m.id.thirdparty").add("medium", "email")
                        .add("address", email.toUpperCase())).build();
        Reply ok = client.post("/_matrix/client/v3/login", login);
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(user.userId(), ok.string("user_id"));
        Reply wrong = client.post("/_matrix/client/v3/login", Json.createObjectBuilder(login).add("password", "wrong").build());
        assertError(403, "M_FORBIDDEN", wrong);
        Reply unknown = client.post("/_matrix/client/v3/login", Json.createObjectBuilder().add("type", "m.login.password")
                .add("password", PASSWORD).add("identifier", Json.createObjectBuilder().add("type", "m.id.thirdparty")
                        .add("medium", "email").add("address", address())).build());
        assertError(403, "M_FORBIDDEN", unknown);
        assertEquals(wrong.json(), unknown.json(), "an unknown address answers as a wrong password");
    }

    // ---- admin API (Synapse's shapes) and deactivation ----

    private String admin() {
        String name = unique("admin");
        String nonce = client.get("/_synapse/admin/v1/register").string("nonce");
        Reply reply = client.post("/_synapse/admin/v1/register", Json.createObjectBuilder()
                .add("nonce", nonce).add("username", name).add("password", PASSWORD).add("admin", true)
                .add("mac", org.turnkey.admin.SharedSecretMac.compute(SECRET, nonce, name, PASSWORD, true)).build());
        assertEquals(200, reply.status(), reply.toString());
        return reply.string("access_token");
    }

    @Test
    @Order(32)
    void adminsSeeAndSetThreepidsInSynapsesShapes() {
        String admin = admin();
        MatrixClient.Session user = client.newSession("adm", PASSWORD);
        String email = address();
        addAddress(user, email);
        String path = "/_synapse/admin/v2/users/" + user.userId();
        JsonObject shown = client.get(path, admin).json().getJsonArray("threepids").getJsonObject(0);
        assertEquals("email", shown.getString("medium"));
        assertEquals(email, shown.getString("address"));
        assertTrue(shown.containsKey("validated_at") && shown.containsKey("added_at"), shown.toString());
        // The list, like Synapse's, has no threepids (nor external_ids) in its entries.
        Reply list = client.get("/_synapse/admin/v2/users?name=" + user.userId().substring(1, user.userId().indexOf(':')), admin);
        assertEquals(1, list.json().getJsonArray("users").size(), list.toString());
        JsonObject entry = list.json().getJsonArray("users").getJsonObject(0);
        assertEquals(user.userId(), entry.getString("name"));
        assertFalse(entry.containsKey("threepids") || entry.containsKey("external_ids"), entry.toString());
        Reply lookup = client.get("/_synapse/admin/v1/threepid/email/users/" + email, admin);
        assertEquals(user.userId(), lookup.string("user_id"), lookup.toString());

        String replacement = address();
        Reply put = client.put(path, Json.createObjectBuilder().add("threepids", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("medium", "email").add("address", replacement))).build(), admin);
        assertEquals(200, put.status(), put.toString());
        assertEquals(replacement, put.json().getJsonArray("threepids").getJsonObject(0).getString("address"));
        assertEquals(1, put.json().getJsonArray("threepids").size());
        assertError(404, "M_NOT_FOUND", client.get("/_synapse/admin/v1/threepid/email/users/" + email, admin));
        assertError(403, "M_FORBIDDEN", client.get("/_synapse/admin/v1/threepid/email/users/" + replacement, user.accessToken()));

        MatrixClient.Session other = client.newSession("adm2", PASSWORD);
        Reply taken = client.put("/_synapse/admin/v2/users/" + other.userId(), Json.createObjectBuilder()
                .add("threepids", Json.createArrayBuilder().add(Json.createObjectBuilder().add("medium", "email")
                        .add("address", replacement))).build(), admin);
        assertError(400, "M_THREEPID_IN_USE", taken);
    }

    @Test
    @Order(33)
    void deactivationReleasesTheAccountsAddresses() {
        MatrixClient.Session user = client.newSession("deact", PASSWORD);
        String email = address();
        addAddress(user, email);
        Reply challenge = client.post("/_matrix/client/v3/account/deactivate", Json.createObjectBuilder().build(), user.accessToken());
        Reply done = client.post("/_matrix/client/v3/account/deactivate", Json.createObjectBuilder()
                .add("auth", passwordAuth(user.userId(), challenge.string("session"), PASSWORD)).build(), user.accessToken());
        assertEquals(200, done.status(), done.toString());
        assertEquals(200, requestToken("register/email/requestToken", unique("s"), email, 1).status());
    }

    // ---- expiry, SMTP outage, rate limits ----

    @Test
    @Order(40)
    void anExpiredLinkOrRegistrationCodeValidatesNothing() throws Exception {
        String secret = unique("secret");
        String email = address();
        requestToken("account/3pid/email/requestToken", secret, email, 1);
        Mailbox.Mail mail = mailbox.await(email);
        // A registration page's waiting form expires with its code (one sleep for both).
        String name = unique("late");
        String registering = address();
        PageBrowser b = new PageBrowser(base);
        PageBrowser.Page waiting = submitRegistration(b, registrationPage(b), name, registering);
        Mailbox.Mail code = mailbox.await(registering);
        Thread.sleep(LIFETIME.toMillis() + 1000);
        PageBrowser.Page page = followLink(mail);
        assertEquals(400, page.status(), page.toString());
        PageBrowser.Page late = b.submit(waiting, "confirm-email", Map.of("code", code.token()));
        assertEquals(400, late.status(), late.toString());
        assertTrue(late.body().contains("id=\"expired\""), late.toString());
        assertError(403, "M_FORBIDDEN", client.login(name, PASSWORD));
    }

    @Test
    @Order(41)
    void whileSmtpIsDownTheRequestIsAnsweredAndTheMailIsSentLater() {
        mailbox.stop();
        String email = address();
        long start = System.nanoTime();
        Reply requested;
        try {
            requested = requestToken("account/3pid/email/requestToken", unique("secret"), email, 1);
        } finally {
            try {
                Thread.sleep(2500); // at least one failed attempt
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            mailbox.start();
        }
        assertEquals(200, requested.status(), requested.toString());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 10_000);
        Mailbox.Mail mail = mailbox.await(email, 1, Duration.ofSeconds(40));
        assertTrue(mail.text().contains("/_turnkey/email/validate"));
    }

    @Test
    @Order(42)
    void mailsToOneAddressAreRateLimited() {
        String email = address();
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(200, requestToken("register/email/requestToken", "s" + attempt, email, 1).status());
        }
        Reply limited = requestToken("register/email/requestToken", "s4", email, 1);
        assertError(429, "M_LIMIT_EXCEEDED", limited);
        assertTrue(limited.json().containsKey("retry_after_ms"));
    }

    /**
     * A link altered to carry U+0000, which PostgreSQL can neither store nor compare, is an
     * incomplete or wrong link to the user, never a server error (the page and its form alike).
     */
    @Test
    @Order(43)
    void aNulCharacterInAValidationLinkIsRefusedWithAPage() {
        String email = address();
        assertEquals(200, requestToken("account/3pid/email/requestToken", unique("secret"), email, 1).status());
        PageBrowser.Page page = browser.get(mailbox.await(email).link());
        assertEquals(200, page.status(), page.toString());
        PageBrowser.Page refused = browser.submit(page, "validate",
                Map.of("sid", "\u0000", "client_secret", "\u0000", "token", "\u0000"));
        assertEquals(400, refused.status(), refused.toString());
        assertFalse(refused.body().contains("id=\"validated\""), refused.toString());
        PageBrowser.Page incomplete = browser.get("/" + EmailValidations.VALIDATE_PAGE + "?sid=%00&client_secret=a&token=b");
        assertEquals(400, incomplete.status(), incomplete.toString());
        PageBrowser.Page reset = browser.post(page.action("validate").resolve("/_turnkey/password/reset"),
                Map.of("csrf", page.csrf("validate"), "sid", "\u0000", "client_secret", "x",
                        "new_password", "another password", "new_password_confirm", "another password"));
        assertTrue(reset.status() >= 400 && reset.status() < 500, reset.toString());
    }

    @Test
    @Order(99)
    void mailsFromOneClientAddressAreRateLimited() {
        Reply last = null;
        for (int i = 0; i <= CLIENT_BURST; i++) {
            last = requestToken("register/email/requestToken", unique("s"), address(), 1);
            if (last.status() == 429) {
                break;
            }
            assertEquals(200, last.status(), last.toString());
        }
        assertError(429, "M_LIMIT_EXCEEDED", last);
        assertNotEquals(null, last.header("Retry-After"));
    }
}
