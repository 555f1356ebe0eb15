package org.turnkey.registration;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.Mailbox;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.OAuthFixture;
import org.turnkey.support.PageBrowser;
import org.turnkey.uia.Uia;

import java.net.URI;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixAsserts.assertError;
import static org.turnkey.support.MatrixClient.unique;

/**
 * {@code turnkey.registration.requires-email=true} with mail on (GreenMail), over HTTP (issue 23):
 * registration needs a validated address, by the Matrix API and on the OAuth 2.0 registration
 * page alike. Spec (client-server-api-auth.md) "Email-based (identity / homeserver)"
 * ({@code m.login.email.identity}, {@code threepid_creds}), "User-Interactive Authentication API"
 * (the 401 {@code flows}), and {@code registration.yaml} ({@code POST /register},
 * {@code /register/email/requestToken}, {@code submit_url}). EmailIT covers the same with the
 * setting off.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RequiredEmailIT {

    private static final String DEPLOYMENT = "requiredemail";
    private static final String PASSWORD = "correct horse battery";

    static Mailbox mailbox;

    @Deployment(testable = false)
    static WebArchive deployment() {
        mailbox = new Mailbox();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("turnkey.registration.enabled", "true");
        settings.put("turnkey.registration.requires-email", "true");
        settings.putAll(mailbox.settings());
        return Deployments.war(DEPLOYMENT, settings);
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

    @BeforeEach
    void client() {
        client = new MatrixClient(base);
    }

    private static String address() {
        return unique("req") + "@example.org";
    }

    private boolean available(String name) {
        Reply reply = client.get("/_matrix/client/v3/register/available?username=" + name);
        if (reply.status() == 200) {
            return reply.json().getBoolean("available");
        }
        assertError(400, "M_USER_IN_USE", reply);
        return false;
    }

    /**
     * registration.yaml {@code POST /register} 401 and "User-Interactive Authentication API":
     * every flow offered ends in {@code m.login.email.identity} ("Email-based (identity /
     * homeserver)"), with or without a username and password; {@code m.login.dummy} alone
     * completes no flow, so no account is made.
     */
    @Test
    void registrationOffersOnlyFlowsEndingInTheEmailStageAndDummyAloneRegistersNobody() {
        String name = unique("dummy");
        for (JsonObject body : List.of(Json.createObjectBuilder().build(),
                Json.createObjectBuilder().add("username", name).add("password", PASSWORD).build())) {
            Reply challenge = client.post("/_matrix/client/v3/register", body);
            assertEquals(401, challenge.status(), challenge.toString());
            List<List<String>> flows = Uia.flows(challenge);
            assertFalse(flows.isEmpty(), challenge.toString());
            for (List<String> flow : flows) {
                assertEquals("m.login.email.identity", flow.get(flow.size() - 1), "flow " + flow + " in " + challenge);
                assertFalse(flow.contains("m.login.dummy"), "flow " + flow + " in " + challenge);
            }
        }
        Reply dummy = client.register(name, PASSWORD);
        assertEquals(401, dummy.status(), dummy.toString());
        assertTrue(available(name), "no account after m.login.dummy alone");
        assertError(403, "M_FORBIDDEN", client.login(name, PASSWORD));
    }

    /**
     * registration.yaml {@code /register/email/requestToken} mails a token; posted to the
     * {@code submit_url} it validates the session ("Email-based (identity / homeserver)"), and
     * {@code POST /register} with {@code m.login.email.identity} and its {@code threepid_creds}
     * registers the account, whose validated address {@code GET /account/3pid} lists.
     */
    @Test
    void theApiRegistersWithAnAddressValidatedThroughSubmitUrl() {
        String name = unique("api");
        String email = address();
        String secret = unique("secret");
        JsonObject body = Json.createObjectBuilder().add("username", name).add("password", PASSWORD).build();
        Reply challenge = client.post("/_matrix/client/v3/register", body);
        assertEquals(401, challenge.status(), challenge.toString());
        Reply requested = client.post("/_matrix/client/v3/register/email/requestToken", Json.createObjectBuilder()
                .add("client_secret", secret).add("email", email).add("send_attempt", 1).build());
        assertEquals(200, requested.status(), requested.toString());
        String sid = requested.string("sid");
        Mailbox.Mail mail = mailbox.await(email);
        Reply submitted = client.post(URI.create(requested.string("submit_url")).getPath(), Json.createObjectBuilder()
                .add("sid", sid).add("client_secret", secret).add("token", mail.token()).build());
        assertEquals(200, submitted.status(), submitted.toString());
        assertTrue(submitted.json().getBoolean("success"), submitted.toString());

        Reply registered = client.post("/_matrix/client/v3/register", Json.createObjectBuilder(body)
                .add("auth", Json.createObjectBuilder().add("type", "m.login.email.identity")
                        .add("session", challenge.string("session"))
                        .add("threepid_creds", Json.createObjectBuilder().add("sid", sid).add("client_secret", secret)))
                .build());
        assertEquals(200, registered.status(), registered.toString());
        assertEquals("@" + name + ":localhost", registered.string("user_id"));
        assertFalse(registered.string("access_token").isEmpty(), registered.toString());
        Reply listed = client.get("/_matrix/client/v3/account/3pid", registered.string("access_token"));
        assertEquals(1, listed.json().getJsonArray("threepids").size(), listed.toString());
        JsonObject threepid = listed.json().getJsonArray("threepids").getJsonObject(0);
        assertEquals("email", threepid.getString("medium"));
        assertEquals(email, threepid.getString("address"));
        assertTrue(threepid.getJsonNumber("validated_at").longValue() > 0, threepid.toString());
    }

    /** An authorisation request with prompt=create for a new client: the browser lands on the registration page. */
    private PageBrowser.Page registrationPage(PageBrowser b) {
        return new OAuthFixture(client, DEPLOYMENT).registrationPage(b, "Required Mail App " + unique("c"), unique("DEV"));
    }

    private static PageBrowser.Page submit(PageBrowser b, PageBrowser.Page page, String name, String email) {
        return b.submit(page, "register", Map.of("username", name, "password", PASSWORD,
                "password_confirm", PASSWORD, "email", email));
    }

    private int pendingRegistrations(String userId) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(Deployments.jdbcUrl(DEPLOYMENT), "turnkey", "turnkey");
             java.sql.PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM pending_registrations WHERE user_id = ?")) {
            q.setString(1, userId);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * The OAuth 2.0 registration page (spec prompt=create) with the setting on: the email field
     * is required (no "(optional)"), a form without an address is shown again with the error and
     * makes no account; with an address, "Check your email", the mailed code typed in, and the
     * account exists with the address validated ("Email-based (identity / homeserver)").
     */
    @Test
    void theRegistrationPageRequiresAnAddressAndCreatesTheAccountOnceItIsConfirmed() throws Exception {
        String name = unique("page");
        String userId = "@" + name + ":localhost";
        PageBrowser b = new PageBrowser(base);
        PageBrowser.Page form = registrationPage(b);
        String fields = form.form("register");
        assertTrue(fields.contains("name=\"email\""), form.toString());
        assertTrue(fields.matches("(?s).*<input id=\"email\"[^>]*\\srequired[\\s>].*"), "the email input is required: " + fields);
        assertFalse(form.body().contains("(optional)"), form.toString());

        PageBrowser.Page missing = submit(b, form, name, "");
        assertEquals(400, missing.status(), missing.toString());
        assertTrue(missing.hasForm("register"), missing.toString());
        assertTrue(missing.body().contains("Enter your email address."), missing.toString());
        assertTrue(missing.body().contains("aria-invalid=\"true\""), missing.toString());
        assertTrue(available(name), "no account from a form without an address");
        assertEquals(0, pendingRegistrations(userId), "nothing waits for an address");
        PageBrowser.Page blank = submit(b, missing, name, "   ");
        assertEquals(400, blank.status(), blank.toString());
        assertTrue(blank.body().contains("Enter your email address."), blank.toString());
        assertTrue(available(name));

        String email = address();
        PageBrowser.Page submitted = submit(b, blank, name, email);
        assertEquals(303, submitted.status(), submitted.toString());
        assertTrue(submitted.location().startsWith("/_turnkey/register-email?"), submitted.location());
        PageBrowser.Page waiting = b.get(submitted.location());
        assertEquals(200, waiting.status(), waiting.toString());
        assertTrue(waiting.body().contains("Check your email") && waiting.body().contains(email), waiting.toString());
        assertTrue(available(name), "no account before the address is confirmed");
        assertEquals(1, pendingRegistrations(userId));

        Mailbox.Mail mail = mailbox.await(email);
        PageBrowser.Page created = b.submit(waiting, "confirm-email", Map.of("code", mail.token()));
        assertEquals(303, created.status(), created.toString());
        assertTrue(created.location().startsWith("/_turnkey/oauth2/authorize?"), created.location());
        assertFalse(available(name), "the account exists");
        assertEquals(0, pendingRegistrations(userId));
        Reply login = client.login(name, PASSWORD);
        assertEquals(200, login.status(), login.toString());
        Reply listed = client.get("/_matrix/client/v3/account/3pid", login.string("access_token"));
        assertEquals(1, listed.json().getJsonArray("threepids").size(), listed.toString());
        JsonObject threepid = listed.json().getJsonArray("threepids").getJsonObject(0);
        assertEquals(email, threepid.getString("address"));
        assertTrue(threepid.getJsonNumber("validated_at").longValue() > 0, threepid.toString());
    }
}
