package org.turnkey.admin;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.uia.Uia;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.MatrixAsserts.assertError;

/**
 * The Synapse-shaped admin API and account locking over HTTP: the first admin made with the
 * shared secret, user listing and changes, devices, registration tokens, and what a locked
 * user's client sees. Registration requires a token here; users register with a configured one.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminIT {

    private static final String SECRET = "it-shared-secret-0123456789";
    private static final String PASSWORD = "correct horse battery";
    private static final String USERS = "/_synapse/admin/v2/users";
    private static final String TOKENS = "/_synapse/admin/v1/registration_tokens";
    private static final String REGISTER = "/_matrix/client/v3/register";
    private static final String SEEDED = "admin-it-seeded";
    private static final String SEEDED_EXPIRED = "admin-it-expired";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("admin", Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.registration.shared-secret", SECRET,
                "turnkey.registration.requires-token", "true",
                "turnkey.registration.tokens", SEEDED + "," + SEEDED_EXPIRED + ";expires=2000-01-01T00:00:00Z"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    String admin;

    @BeforeEach
    void adminSession() {
        client = new MatrixClient(base);
        Reply reply = sharedSecretRegister(unique("admin"), PASSWORD, true, SECRET);
        assertEquals(200, reply.status(), reply.toString());
        admin = reply.string("access_token");
    }

    private Reply sharedSecretRegister(String username, String password, boolean asAdmin, String secret) {
        String nonce = client.get("/_synapse/admin/v1/register").string("nonce");
        return client.post("/_synapse/admin/v1/register", Json.createObjectBuilder()
                .add("nonce", nonce).add("username", username).add("password", password).add("admin", asAdmin)
                .add("mac", SharedSecretMac.compute(secret, nonce, username, password, asAdmin)).build());
    }

    private String userId(String localpart) {
        return "@" + localpart + ":localhost";
    }

    private String registeredUser() {
        String name = unique("user");
        Reply reply = registerWithToken(name, SEEDED);
        assertEquals(200, reply.status(), reply.toString());
        return name;
    }

    /** Spec "Token-authenticated registration": the 401 challenge, then the token stage in its session. */
    private Reply registerWithToken(String name, String token) {
        JsonObject body = Json.createObjectBuilder().add("username", name).add("password", PASSWORD).build();
        Reply challenge = client.post(REGISTER, body);
        assertEquals(401, challenge.status(), challenge.toString());
        assertEquals(List.of(List.of("m.login.registration_token")), Uia.flows(challenge));
        return client.post(REGISTER, Json.createObjectBuilder(body).add("auth", Json.createObjectBuilder()
                .add("type", "m.login.registration_token").add("token", token)
                .add("session", challenge.string("session"))).build());
    }

    private Reply put(String localpart, JsonObject body) {
        return client.put(USERS + "/" + userId(localpart), body, admin);
    }

    // ---- shared-secret registration ----

    @Test
    void sharedSecretCreatesAnAdminWhoseTokenWorks() {
        String name = unique("first");
        Reply reply = sharedSecretRegister(name, PASSWORD, true, SECRET);
        assertEquals(200, reply.status(), reply.toString());
        assertEquals(userId(name), reply.string("user_id"));
        assertEquals("localhost", reply.string("home_server"));
        assertNotNull(reply.string("device_id"));
        String token = reply.string("access_token");
        assertEquals(userId(name), client.whoami(token).string("user_id"));
        Reply self = client.get(USERS + "/" + userId(name), token);
        assertEquals(200, self.status(), self.toString());
        assertTrue(self.json().getBoolean("admin"));
        assertEquals(200, client.login(name, PASSWORD).status(), "the password was stored");

        String plain = unique("plain");
        assertEquals(200, sharedSecretRegister(plain, PASSWORD, false, SECRET).status());
        assertFalse(client.get(USERS + "/" + userId(plain), token).json().getBoolean("admin"));
    }

    @Test
    void sharedSecretRefusesWrongMacsAndSpentNonces() {
        String name = unique("mallory");
        assertError(403, "M_FORBIDDEN", sharedSecretRegister(name, PASSWORD, true, "not-the-shared-secret-at-all"));
        assertError(404, "M_NOT_FOUND", client.get(USERS + "/" + userId(name), admin));

        String nonce = client.get("/_synapse/admin/v1/register").string("nonce");
        String mac = SharedSecretMac.compute(SECRET, nonce, name, PASSWORD, false);
        // The admin flag is under the MAC: claiming it with a MAC for "notadmin" fails.
        Reply promoted = client.post("/_synapse/admin/v1/register", Json.createObjectBuilder().add("nonce", nonce)
                .add("username", name).add("password", PASSWORD).add("admin", true).add("mac", mac).build());
        assertError(403, "M_FORBIDDEN", promoted);
        Reply reused = client.post("/_synapse/admin/v1/register", Json.createObjectBuilder().add("nonce", nonce)
                .add("username", name).add("password", PASSWORD).add("admin", false).add("mac", mac).build());
        assertError(400, "M_UNKNOWN", reused);

        String taken = unique("taken");
        assertEquals(200, sharedSecretRegister(taken, PASSWORD, false, SECRET).status());
        assertError(400, "M_USER_IN_USE", sharedSecretRegister(taken, PASSWORD, false, SECRET));
    }

    // ---- who may use the admin API ----

    @Test
    void nonAdminsAreForbiddenBeforeAnyLookup() {
        String name = registeredUser();
        String token = client.login(name, PASSWORD).string("access_token");
        String victim = registeredUser();
        for (String target : List.of(userId(victim), userId("nobody-here"))) {
            assertError(403, "M_FORBIDDEN", client.get(USERS + "/" + target, token));
            assertError(403, "M_FORBIDDEN", client.put(USERS + "/" + target,
                    Json.createObjectBuilder().add("admin", true).build(), token));
            assertError(403, "M_FORBIDDEN", client.get(USERS + "/" + target + "/devices", token));
            assertError(403, "M_FORBIDDEN", client.delete(USERS + "/" + target + "/devices/X", null, token));
            assertError(403, "M_FORBIDDEN", client.get("/_matrix/client/v1/admin/lock/" + target, token));
        }
        assertError(403, "M_FORBIDDEN", client.get(USERS, token));
        assertError(401, "M_MISSING_TOKEN", client.get(USERS));
        assertFalse(client.get(USERS + "/" + userId(name), admin).json().getBoolean("admin"), "still not admin");
    }

    // ---- users ----

    @Test
    void listingPagesWithNextTokenAndTotal() {
        String prefix = unique("page");
        for (String suffix : List.of("a", "b", "c")) {
            assertEquals(201, put(prefix + suffix, Json.createObjectBuilder().add("password", PASSWORD).build()).status());
        }
        assertEquals(201, put(prefix + "d", Json.createObjectBuilder().add("deactivated", true).build()).status());

        Reply first = client.get(USERS + "?name=" + prefix + "&limit=2", admin);
        assertEquals(200, first.status(), first.toString());
        assertEquals(3, first.json().getInt("total"), "deactivated users are left out by default");
        assertEquals(List.of(userId(prefix + "a"), userId(prefix + "b")), names(first));
        assertEquals("2", first.string("next_token"));

        Reply last = client.get(USERS + "?name=" + prefix + "&limit=2&from=2", admin);
        assertEquals(List.of(userId(prefix + "c")), names(last));
        assertFalse(last.json().containsKey("next_token"), last.toString());

        Reply all = client.get(USERS + "?name=" + prefix + "&deactivated=true&dir=b", admin);
        assertEquals(4, all.json().getInt("total"));
        assertEquals(userId(prefix + "d"), names(all).get(0));
        assertTrue(all.json().getJsonArray("users").getJsonObject(0).getBoolean("deactivated"));

        assertError(400, "M_INVALID_PARAM", client.get(USERS + "?from=-1", admin));
        assertError(400, "M_INVALID_PARAM", client.get(USERS + "?limit=ten", admin));
    }

    private static List<String> names(Reply reply) {
        return reply.json().getJsonArray("users").getValuesAs(JsonObject.class).stream()
                .map(u -> u.getString("name")).toList();
    }

    @Test
    void putCreatesThenChangesPasswordAdminAndDeactivation() {
        String name = unique("carol");
        Reply created = put(name, Json.createObjectBuilder().add("password", PASSWORD).add("displayname", "Carol").build());
        assertEquals(201, created.status(), created.toString());
        assertEquals(userId(name), created.string("name"));
        assertFalse(created.json().getBoolean("admin"));
        assertFalse(created.json().getBoolean("locked"));
        String oldToken = client.login(name, PASSWORD).string("access_token");

        Reply changed = put(name, Json.createObjectBuilder().add("password", "new password 1").build());
        assertEquals(200, changed.status(), changed.toString());
        Reply gone = client.whoami(oldToken);
        assertError(401, "M_UNKNOWN_TOKEN", gone);
        assertFalse(gone.softLogout(), "logout_devices deletes the devices: " + gone);
        assertError(403, "M_FORBIDDEN", client.login(name, PASSWORD));
        String token = client.login(name, "new password 1").string("access_token");

        assertEquals(200, put(name, Json.createObjectBuilder().add("password", "new password 2")
                .add("logout_devices", false).build()).status());
        assertEquals(200, client.whoami(token).status(), "logout_devices: false keeps the devices");

        assertTrue(put(name, Json.createObjectBuilder().add("admin", true).build()).json().getBoolean("admin"));
        assertTrue(client.get(USERS + "/" + userId(name), admin).json().getBoolean("admin"));
        assertEquals(200, client.get(USERS, token).status(), "the new admin may use the admin API");

        assertTrue(put(name, Json.createObjectBuilder().add("deactivated", true).build()).json().getBoolean("deactivated"));
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(token));
        assertError(403, "M_USER_DEACTIVATED", client.login(name, "new password 2"));
        assertError(400, "M_INVALID_PARAM", put(name, Json.createObjectBuilder().add("deactivated", false).build()));
        assertError(400, "M_INVALID_PARAM", put(name, Json.createObjectBuilder().add("password", "sneaky").build()));
        assertEquals(200, put(name, Json.createObjectBuilder().add("deactivated", false)
                .add("password", "back again").build()).status());
        assertEquals(200, client.login(name, "back again").status());

        assertError(404, "M_NOT_FOUND", client.get(USERS + "/" + userId(unique("nobody")), admin));
        assertError(400, "M_INVALID_PARAM", client.get(USERS + "/@someone:other.example", admin));
        assertError(400, "M_INVALID_USERNAME", put("not!valid", Json.createObjectBuilder().build()));
    }

    @Test
    void adminMayNotDemoteLockOrDeactivateThemselves() {
        String self = client.whoami(admin).string("user_id");
        for (String field : List.of("admin", "locked", "deactivated")) {
            boolean harmful = !field.equals("admin");
            assertError(400, "M_INVALID_PARAM", client.put(USERS + "/" + self,
                    Json.createObjectBuilder().add(field, harmful).build(), admin));
        }
        assertError(403, "M_FORBIDDEN", client.put("/_matrix/client/v1/admin/lock/" + self,
                Json.createObjectBuilder().add("locked", true).build(), admin));
        JsonObject unchanged = client.get(USERS + "/" + self, admin).json();
        assertTrue(unchanged.getBoolean("admin"));
        assertFalse(unchanged.getBoolean("locked"));
        assertFalse(unchanged.getBoolean("deactivated"));
        assertEquals(200, client.whoami(admin).status());
        assertEquals(200, client.put(USERS + "/" + self, Json.createObjectBuilder().add("admin", true)
                .add("locked", false).add("deactivated", false).build(), admin).status(), "harmless values are accepted");
    }

    @Test
    void accountCreatedDeactivatedHasNoPasswordAndCannotLogIn() {
        String name = unique("born-off");
        Reply created = put(name, Json.createObjectBuilder().add("password", PASSWORD).add("deactivated", true).build());
        assertEquals(201, created.status(), created.toString());
        assertTrue(created.json().getBoolean("deactivated"), created.toString());
        assertTrue(client.get(USERS + "/" + userId(name), admin).json().getBoolean("deactivated"));
        assertError(403, "M_USER_DEACTIVATED", client.login(name, PASSWORD));
        assertEquals(1, client.get(USERS + "?name=" + name + "&deactivated=true", admin).json().getInt("total"));
        assertEquals(0, client.get(USERS + "?name=" + name, admin).json().getInt("total"), "left out by default");
    }

    @Test
    void userSearchTakesLikeWildcardsInTheNameLiterally() {
        String prefix = unique("like");
        for (String suffix : List.of("a_b", "axb", "ab")) {
            assertEquals(201, put(prefix + suffix, Json.createObjectBuilder().add("password", PASSWORD).build()).status());
        }
        assertEquals(List.of(userId(prefix + "a_b")), names(client.get(USERS + "?name=" + prefix + "a_b", admin)),
                "_ matches only itself");
        assertEquals(0, client.get(USERS + "?name=" + prefix + "a%25b", admin).json().getInt("total"), "% matches only itself");
        assertEquals(0, client.get(USERS + "?name=" + prefix + "%25", admin).json().getInt("total"));
        assertEquals(0, client.get(USERS + "?name=" + prefix + "a%5Cb", admin).json().getInt("total"), "\\ is no escape");
        assertEquals(3, client.get(USERS + "?name=" + prefix, admin).json().getInt("total"));
    }

    @Test
    void adminsListAndDeleteDevices() {
        String name = registeredUser();
        String phone = client.login(name, PASSWORD, Json.createObjectBuilder().add("device_id", "PHONE")
                .add("initial_device_display_name", "My phone").build()).string("access_token");
        String laptop = client.login(name, PASSWORD, Json.createObjectBuilder().add("device_id", "LAPTOP").build())
                .string("access_token");

        Reply listed = client.get(USERS + "/" + userId(name) + "/devices", admin);
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(3, listed.json().getInt("total"), "registration's device, PHONE and LAPTOP");
        JsonObject phoneDevice = listed.json().getJsonArray("devices").getValuesAs(JsonObject.class).stream()
                .filter(d -> d.getString("device_id").equals("PHONE")).findFirst().orElseThrow();
        assertEquals("My phone", phoneDevice.getString("display_name"));
        assertEquals(userId(name), phoneDevice.getString("user_id"));

        Reply deleted = client.delete(USERS + "/" + userId(name) + "/devices/PHONE", null, admin);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, deleted.json());
        Reply gone = client.whoami(phone);
        assertError(401, "M_UNKNOWN_TOKEN", gone);
        assertFalse(gone.softLogout(), gone.toString());
        assertEquals(200, client.whoami(laptop).status());
        assertEquals(2, client.get(USERS + "/" + userId(name) + "/devices", admin).json().getInt("total"));
        assertEquals(200, client.delete(USERS + "/" + userId(name) + "/devices/PHONE", null, admin).status(),
                "deleting a device that is gone is not an error");
        assertError(404, "M_NOT_FOUND", client.get(USERS + "/" + userId(unique("nobody")) + "/devices", admin));
    }

    // ---- registration tokens (Synapse's admin API; spec "Token-authenticated registration") ----

    private Reply newToken(JsonObject body) {
        return client.post(TOKENS + "/new", body, admin);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token_sha256 of each listed token: the list cannot show values, which are stored hashed. */
    private Set<String> listedHashes(String query) {
        Reply list = client.get(TOKENS + query, admin);
        assertEquals(200, list.status(), list.toString());
        return list.json().getJsonArray("registration_tokens").getValuesAs(JsonObject.class).stream()
                .peek(t -> assertFalse(t.containsKey("token"), t.toString()))
                .map(t -> t.getString("token_sha256")).collect(Collectors.toSet());
    }

    private static void assertToken(String token, Integer usesAllowed, int completed, Long expiryTime, Reply reply) {
        assertEquals(200, reply.status(), reply.toString());
        JsonObject json = reply.json();
        assertEquals(token, json.getString("token"), reply.toString());
        if (usesAllowed == null) {
            assertTrue(json.isNull("uses_allowed"), reply.toString());
        } else {
            assertEquals(usesAllowed, json.getInt("uses_allowed"), reply.toString());
        }
        assertEquals(0, json.getInt("pending"), reply.toString());
        assertEquals(completed, json.getInt("completed"), reply.toString());
        if (expiryTime == null) {
            assertTrue(json.isNull("expiry_time"), reply.toString());
        } else {
            assertEquals(expiryTime, json.getJsonNumber("expiry_time").longValue(), reply.toString());
        }
    }

    @Test
    void registrationTokensAreCreatedAsGivenOrGenerated() {
        String given = unique("Given.tok~en_-");
        long expiry = System.currentTimeMillis() + 3_600_000;
        Reply created = newToken(Json.createObjectBuilder().add("token", given).add("uses_allowed", 5)
                .add("expiry_time", expiry).build());
        assertToken(given, 5, 0, expiry, created);
        assertToken(given, 5, 0, expiry, client.get(TOKENS + "/" + given, admin));
        assertError(400, "M_INVALID_PARAM", newToken(Json.createObjectBuilder().add("token", given).build()));

        Reply generated = newToken(JsonValue.EMPTY_JSON_OBJECT);
        String token = generated.string("token");
        assertTrue(token.matches("[A-Za-z0-9._~-]{16}"), token);
        assertToken(token, null, 0, null, generated);
        assertToken(token, null, 0, null, client.get(TOKENS + "/" + token, admin));
        String longer = newToken(Json.createObjectBuilder().add("length", 64).add("uses_allowed", 0).build())
                .string("token");
        assertTrue(longer.matches("[A-Za-z0-9._~-]{64}"), longer);
        assertToken(longer, 0, 0, null, client.get(TOKENS + "/" + longer, admin));

        // "new" is a token like any other, though POST .../new creates tokens.
        assertToken("new", null, 0, null, newToken(Json.createObjectBuilder().add("token", "new").build()));
        assertToken("new", null, 0, null, client.get(TOKENS + "/new", admin));
        assertEquals(200, client.delete(TOKENS + "/new", null, admin).status());
        assertError(405, "M_UNRECOGNIZED", client.post(TOKENS + "/" + given, JsonValue.EMPTY_JSON_OBJECT, admin));
        assertError(404, "M_NOT_FOUND", client.get(TOKENS + "/" + unique("nothing"), admin));
    }

    @Test
    void registrationTokenListShowsHashesAndFiltersOnValidity() {
        String live = unique("live");
        String usedUp = unique("usedup");
        assertEquals(200, newToken(Json.createObjectBuilder().add("token", live).add("uses_allowed", 2).build()).status());
        assertEquals(200, newToken(Json.createObjectBuilder().add("token", usedUp).add("uses_allowed", 0).build()).status());

        Reply list = client.get(TOKENS, admin);
        assertEquals(200, list.status(), list.toString());
        assertFalse(list.raw().contains(live), "the list never shows a token's value");
        JsonObject entry = list.json().getJsonArray("registration_tokens").getValuesAs(JsonObject.class).stream()
                .filter(t -> t.getString("token_sha256").equals(sha256(live))).findFirst().orElseThrow();
        assertEquals(2, entry.getInt("uses_allowed"));
        assertEquals(0, entry.getInt("pending"));
        assertEquals(0, entry.getInt("completed"));
        assertTrue(entry.isNull("expiry_time"));

        Set<String> all = listedHashes("");
        assertTrue(all.containsAll(Set.of(sha256(live), sha256(usedUp), sha256(SEEDED), sha256(SEEDED_EXPIRED))),
                "configured tokens are listed too");
        Set<String> valid = listedHashes("?valid=true");
        assertTrue(valid.containsAll(Set.of(sha256(live), sha256(SEEDED))), valid.toString());
        assertFalse(valid.contains(sha256(usedUp)) || valid.contains(sha256(SEEDED_EXPIRED)), valid.toString());
        Set<String> invalid = listedHashes("?valid=false");
        assertTrue(invalid.containsAll(Set.of(sha256(usedUp), sha256(SEEDED_EXPIRED))), invalid.toString());
        assertFalse(invalid.contains(sha256(live)) || invalid.contains(sha256(SEEDED)), invalid.toString());
        assertError(400, "M_INVALID_PARAM", client.get(TOKENS + "?valid=yes", admin));

        Reply expired = client.get(TOKENS + "/" + SEEDED_EXPIRED, admin);
        assertToken(SEEDED_EXPIRED, null, 0, 946_684_800_000L, expired);
    }

    @Test
    void registrationTokensAreUpdatedAndDeleted() {
        String token = unique("upd");
        assertEquals(200, newToken(Json.createObjectBuilder().add("token", token).add("uses_allowed", 1).build()).status());
        String path = TOKENS + "/" + token;
        long expiry = System.currentTimeMillis() + 86_400_000;

        assertToken(token, 10, 0, null, client.put(path, Json.createObjectBuilder().add("uses_allowed", 10).build(), admin));
        assertToken(token, 10, 0, expiry, client.put(path, Json.createObjectBuilder().add("expiry_time", expiry).build(), admin));
        assertToken(token, 10, 0, expiry, client.put(path, JsonValue.EMPTY_JSON_OBJECT, admin));
        assertToken(token, null, 0, expiry, client.put(path,
                Json.createObjectBuilder().add("uses_allowed", JsonValue.NULL).build(), admin));
        assertToken(token, null, 0, null, client.put(path,
                Json.createObjectBuilder().add("expiry_time", JsonValue.NULL).build(), admin));
        assertToken(token, 3, 0, expiry, client.put(path,
                Json.createObjectBuilder().add("uses_allowed", 3).add("expiry_time", expiry).build(), admin));
        assertToken(token, 3, 0, expiry, client.get(path, admin));

        assertError(400, "M_INVALID_PARAM", client.put(path, Json.createObjectBuilder().add("uses_allowed", -1).build(), admin));
        assertError(400, "M_INVALID_PARAM", client.put(path,
                Json.createObjectBuilder().add("expiry_time", System.currentTimeMillis() - 60_000).build(), admin));
        assertError(400, "M_BAD_JSON", client.put(path, Json.createObjectBuilder().add("uses_allowed", "2").build(), admin));
        assertToken(token, 3, 0, expiry, client.get(path, admin));
        assertError(404, "M_NOT_FOUND", client.put(TOKENS + "/" + unique("nothing"),
                Json.createObjectBuilder().add("uses_allowed", 1).build(), admin));

        Reply deleted = client.delete(path, null, admin);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, deleted.json());
        assertError(404, "M_NOT_FOUND", client.get(path, admin));
        assertError(404, "M_NOT_FOUND", client.delete(path, null, admin));
        assertFalse(listedHashes("").contains(sha256(token)));
    }

    @Test
    void registrationTokenBadValuesAre400() {
        int before = listedHashes("").size();
        for (String bad : List.of("has space", "semi;colon", "x".repeat(65), "", "ünïcode")) {
            assertError(400, "M_INVALID_PARAM", newToken(Json.createObjectBuilder().add("token", bad).build()));
        }
        for (int length : List.of(0, 65, -3)) {
            assertError(400, "M_INVALID_PARAM", newToken(Json.createObjectBuilder().add("length", length).build()));
        }
        assertError(400, "M_INVALID_PARAM", newToken(Json.createObjectBuilder().add("uses_allowed", -1).build()));
        assertError(400, "M_INVALID_PARAM", newToken(Json.createObjectBuilder()
                .add("expiry_time", System.currentTimeMillis() - 60_000).build()));
        assertError(400, "M_BAD_JSON", newToken(Json.createObjectBuilder().add("token", 42).build()));
        assertError(400, "M_BAD_JSON", newToken(Json.createObjectBuilder().add("length", "16").build()));
        assertError(400, "M_BAD_JSON", newToken(Json.createObjectBuilder().add("uses_allowed", 1.5).build()));
        assertError(400, "M_BAD_JSON", newToken(Json.createObjectBuilder().add("expiry_time", "tomorrow").build()));
        assertEquals(before, listedHashes("").size(), "nothing was created");
    }

    @Test
    void registrationTokenEndpointsAreForAdminsOnly() {
        String token = unique("guarded");
        assertEquals(200, newToken(Json.createObjectBuilder().add("token", token).add("uses_allowed", 1).build()).status());
        String user = client.login(registeredUser(), PASSWORD).string("access_token");
        for (String target : List.of(token, unique("nothing"))) {
            assertError(403, "M_FORBIDDEN", client.get(TOKENS + "/" + target, user));
            assertError(403, "M_FORBIDDEN", client.put(TOKENS + "/" + target,
                    Json.createObjectBuilder().add("uses_allowed", 100).build(), user));
            assertError(403, "M_FORBIDDEN", client.delete(TOKENS + "/" + target, null, user));
        }
        assertError(403, "M_FORBIDDEN", client.get(TOKENS, user));
        assertError(403, "M_FORBIDDEN", client.post(TOKENS + "/new", Json.createObjectBuilder().add("token", "mine").build(), user));
        assertError(401, "M_MISSING_TOKEN", client.get(TOKENS));
        assertError(401, "M_MISSING_TOKEN", client.post(TOKENS + "/new", JsonValue.EMPTY_JSON_OBJECT, null));
        assertToken(token, 1, 0, null, client.get(TOKENS + "/" + token, admin));
        assertError(404, "M_NOT_FOUND", client.get(TOKENS + "/mine", admin));
    }

    /**
     * Spec "Token-authenticated registration" (client-server-api-auth.md, m.login.registration_token):
     * a token limited to one use, made through the admin API, lets exactly one account register;
     * raising its uses lets one more; a deleted token lets none.
     */
    @Test
    void tokenCreatedThroughTheApiAdmitsExactlyOneRegistration() {
        String token = newToken(Json.createObjectBuilder().add("uses_allowed", 1).build()).string("token");
        String validity = "/_matrix/client/v1/register/m.login.registration_token/validity?token=" + token;
        assertTrue(client.get(validity).json().getBoolean("valid"));

        String first = unique("first");
        Reply registered = registerWithToken(first, token);
        assertEquals(200, registered.status(), registered.toString());
        assertEquals(userId(first), client.whoami(registered.string("access_token")).string("user_id"));
        assertToken(token, 1, 1, null, client.get(TOKENS + "/" + token, admin));
        assertFalse(client.get(validity).json().getBoolean("valid"));
        assertTrue(listedHashes("?valid=false").contains(sha256(token)));

        String second = unique("second");
        assertError(401, "M_FORBIDDEN", registerWithToken(second, token));
        assertError(404, "M_NOT_FOUND", client.get(USERS + "/" + userId(second), admin));

        assertToken(token, 2, 1, null, client.put(TOKENS + "/" + token,
                Json.createObjectBuilder().add("uses_allowed", 2).build(), admin));
        assertEquals(200, registerWithToken(second, token).status());
        assertToken(token, 2, 2, null, client.get(TOKENS + "/" + token, admin));

        String deleted = newToken(JsonValue.EMPTY_JSON_OBJECT).string("token");
        assertEquals(200, client.delete(TOKENS + "/" + deleted, null, admin).status());
        assertError(401, "M_FORBIDDEN", registerWithToken(unique("third"), deleted));
    }

    // ---- spec "Account locking" ----

    @Test
    void lockedUsersGetUserLockedAndUnlockingRestoresTheSameSession() {
        String name = registeredUser();
        Reply session = client.login(name, PASSWORD, MatrixClient.withRefresh());
        String token = session.string("access_token");
        String refresh = session.string("refresh_token");
        String other = client.login(name, PASSWORD).string("access_token");
        assertEquals(200, client.whoami(token).status(), "token is cached before the lock");

        Reply locked = put(name, Json.createObjectBuilder().add("locked", true).build());
        assertEquals(200, locked.status(), locked.toString());
        assertTrue(locked.json().getBoolean("locked"));

        for (Reply reply : List.of(client.whoami(token), client.whoami(other), client.refresh(refresh),
                client.login(name, PASSWORD))) {
            assertError(401, "M_USER_LOCKED", reply);
            assertTrue(reply.softLogout(), "locked is a soft logout: " + reply);
        }
        assertError(403, "M_FORBIDDEN", client.login(name, "wrong password"));
        Reply loggedOut = client.post("/_matrix/client/v3/logout", JsonValue.EMPTY_JSON_OBJECT, other);
        assertEquals(200, loggedOut.status(), "logout works while locked: " + loggedOut);

        assertFalse(put(name, Json.createObjectBuilder().add("locked", false).build()).json().getBoolean("locked"));
        Reply back = client.whoami(token);
        assertEquals(200, back.status(), "the same token works again: " + back);
        assertEquals(userId(name), back.string("user_id"));
        assertEquals(200, client.refresh(refresh).status(), "the refresh token was kept too");
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(other));
        assertEquals(200, client.login(name, PASSWORD).status());
    }

    @Test
    void specLockEndpointLocksOtherNonAdmins() {
        String name = registeredUser();
        String token = client.login(name, PASSWORD).string("access_token");
        String lockPath = "/_matrix/client/v1/admin/lock/" + userId(name);
        assertTrue(client.get("/_matrix/client/v3/capabilities", admin).json().getJsonObject("capabilities")
                .getJsonObject("m.account_moderation").getBoolean("lock"));
        assertFalse(client.get("/_matrix/client/v3/capabilities", token).json().getJsonObject("capabilities")
                .containsKey("m.account_moderation"), "omitted for non-admins");
        assertFalse(client.get(lockPath, admin).json().getBoolean("locked"));

        Reply locked = client.put(lockPath, Json.createObjectBuilder().add("locked", true).build(), admin);
        assertEquals(200, locked.status(), locked.toString());
        assertTrue(locked.json().getBoolean("locked"));
        assertTrue(client.get(lockPath, admin).json().getBoolean("locked"));
        assertError(401, "M_USER_LOCKED", client.whoami(token));
        assertError(401, "M_USER_LOCKED", client.get(lockPath, token));

        client.put(lockPath, Json.createObjectBuilder().add("locked", false).build(), admin);
        assertEquals(200, client.whoami(token).status());

        String self = client.whoami(admin).string("user_id");
        assertError(403, "M_FORBIDDEN", client.put("/_matrix/client/v1/admin/lock/" + self,
                Json.createObjectBuilder().add("locked", true).build(), admin));
        String otherAdmin = unique("boss");
        sharedSecretRegister(otherAdmin, PASSWORD, true, SECRET);
        assertError(403, "M_FORBIDDEN", client.put("/_matrix/client/v1/admin/lock/" + userId(otherAdmin),
                Json.createObjectBuilder().add("locked", true).build(), admin));
        assertError(404, "M_NOT_FOUND", client.get("/_matrix/client/v1/admin/lock/" + userId(unique("nobody")), admin));
        assertError(400, "M_MISSING_PARAM", client.put(lockPath, JsonValue.EMPTY_JSON_OBJECT, admin));
    }
}
