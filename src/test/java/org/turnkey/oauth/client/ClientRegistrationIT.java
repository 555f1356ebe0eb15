package org.turnkey.oauth.client;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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
import org.turnkey.support.OAuthFixture;
import org.turnkey.support.TestDatabase;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;

/**
 * Dynamic client registration over HTTP: {@code POST /_turnkey/oauth2/register} (RFC 7591
 * section 3, spec "Client registration", "Redirect URI validation"). The rules themselves are
 * proven one by one in {@code ClientRegistrationPolicyTest}; this proves they reach clients in
 * the RFC's shape, that clients are stored, and that identical registrations share an ID.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClientRegistrationIT {

    private static final String NAME = "oauth-register";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of("turnkey.registration.enabled", "true"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    OAuthFixture oauth;

    @BeforeEach
    void setUp() {
        client = new MatrixClient(base);
        oauth = new OAuthFixture(client, NAME);
    }

    private static JsonObjectBuilder metadata(String type, String... redirectUris) {
        return Json.createObjectBuilder().add("client_name", unique("app")).add("client_uri", "https://example.com/")
                .add("application_type", type).add("redirect_uris", Json.createArrayBuilder(List.of(redirectUris)));
    }

    private static void assertOAuthError(int status, String error, Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        assertEquals(error, reply.string("error"), reply.toString());
        assertTrue(reply.json().containsKey("error_description"), reply.toString());
        assertFalse(reply.json().containsKey("errcode"), "an OAuth error, not a Matrix one: " + reply);
        assertEquals("no-store", reply.header("Cache-Control"));
    }

    /** Spec "Dynamic client registration flow": 201, client_id and the registered metadata. */
    @Test
    void specExampleRegistersWith201ClientIdAndTheKeptMetadata() {
        Reply reply = oauth.register(Json.createReader(new java.io.StringReader("""
                {"client_name": "My App", "client_name#fr": "Mon application",
                 "client_uri": "https://example.com/", "logo_uri": "https://example.com/logo.png",
                 "tos_uri": "https://example.com/tos.html", "tos_uri#fr": "https://example.com/fr/tos.html",
                 "policy_uri": "https://example.com/policy.html",
                 "redirect_uris": ["https://app.example.com/callback"], "token_endpoint_auth_method": "none",
                 "response_types": ["code"], "grant_types": ["authorization_code", "refresh_token",
                 "urn:ietf:params:oauth:grant-type:token-exchange"], "application_type": "web"}""")).readObject());
        assertEquals(201, reply.status(), reply.toString());
        assertEquals("no-store", reply.header("Cache-Control"));
        JsonObject answer = reply.json();
        String clientId = answer.getString("client_id");
        assertEquals("My App", answer.getString("client_name"));
        assertEquals("Mon application", answer.getString("client_name#fr"));
        assertEquals("[\"authorization_code\",\"refresh_token\"]", answer.getJsonArray("grant_types").toString());
        assertEquals("[\"https://app.example.com/callback\"]", answer.getJsonArray("redirect_uris").toString());
        assertEquals(1, TestDatabase.count(NAME, "SELECT COUNT(*) FROM oauth_clients WHERE client_id = ?", clientId));
    }

    /** Spec "Redirect URI validation": every example of the spec, accepted and refused, for both client types. */
    @Test
    void redirectUriRulesOfTheSpecAreAppliedOverHttp() {
        for (String uri : List.of("https://example.com/callback", "https://app.example.com/callback",
                "https://example.com:5173/?query=value")) {
            assertEquals(201, oauth.register(metadata("web", uri).build()).status(), "web " + uri);
        }
        for (String uri : List.of("https://example.com/callback#fragment", "http://example.com/callback",
                "http://localhost/", "https://user@example.com/cb", "https://other.org/cb")) {
            assertOAuthError(400, "invalid_redirect_uri", oauth.register(metadata("web", uri).build()));
        }
        for (String uri : List.of("com.example.app:/callback", "com.example:/", "com.example:callback",
                "http://localhost/callback", "http://127.0.0.1/callback", "http://[::1]/callback",
                "https://app.example.com/callback")) {
            assertEquals(201, oauth.register(metadata("native", uri).build()).status(), "native " + uri);
        }
        for (String uri : List.of("example:/callback", "com.example.app://callback", "https://localhost/callback",
                "http://localhost:1234/callback", "com.example.app:/cb#frag")) {
            assertOAuthError(400, "invalid_redirect_uri", oauth.register(metadata("native", uri).build()));
        }
    }

    /** RFC 7591 section 3.2.2 and the spec's metadata rules. */
    @Test
    void metadataOutsideTheRulesIsInvalidClientMetadata() {
        assertOAuthError(400, "invalid_client_metadata", oauth.register(metadata("web", "https://example.com/cb")
                .add("token_endpoint_auth_method", "client_secret_basic").build()));
        assertOAuthError(400, "invalid_client_metadata", oauth.register(metadata("web", "https://example.com/cb")
                .add("response_types", Json.createArrayBuilder().add("token")).build()));
        assertOAuthError(400, "invalid_client_metadata", oauth.register(metadata("web", "https://example.com/cb")
                .add("grant_types", Json.createArrayBuilder().add("refresh_token")).build()));
        assertOAuthError(400, "invalid_client_metadata", oauth.register(metadata("web", "https://example.com/cb")
                .add("application_type", "desktop").build()));
        assertOAuthError(400, "invalid_client_metadata", oauth.register(metadata("web", "https://example.com/cb")
                .add("logo_uri", "https://evil.example.org/logo.png").build()));
        assertOAuthError(400, "invalid_client_metadata", oauth.register(metadata("web", "https://example.com/cb")
                .add("tos_uri#fr", "http://example.com/fr/tos").build()));
        assertOAuthError(400, "invalid_client_metadata", oauth.register(Json.createObjectBuilder()
                .add("redirect_uris", Json.createArrayBuilder().add("https://example.com/cb")).build()));
    }

    /** A body that is not a JSON object gets the RFC's error, not a Matrix M_NOT_JSON. */
    @Test
    void bodiesThatAreNotAJsonObjectAreInvalidClientMetadata() {
        for (String body : List.of("not json", "[1,2]", "", "{\"client_uri\":")) {
            assertOAuthError(400, "invalid_client_metadata",
                    client.postRaw(OAuthFixture.REGISTER, body.getBytes(StandardCharsets.UTF_8), "application/json"));
        }
        assertOAuthError(400, "invalid_client_metadata", client.postRaw(OAuthFixture.REGISTER,
                "client_uri=https://example.com/".getBytes(StandardCharsets.UTF_8), OAuthFixture.FORM));
    }

    /** Spec note on de-duplication: identical metadata, whatever the key order, shares one client_id. */
    @Test
    void identicalRegistrationsShareOneClientIdAndDifferentOnesDoNot() {
        String name = unique("same");
        Reply first = oauth.register(metadata("web", "https://example.com/cb").add("client_name", name).build());
        Reply second = oauth.register(Json.createObjectBuilder().add("redirect_uris",
                        Json.createArrayBuilder().add("https://example.com/cb")).add("client_name", name)
                .add("application_type", "web").add("client_uri", "https://example.com/").build());
        Reply other = oauth.register(metadata("web", "https://example.com/cb").add("client_name", name + "x").build());
        assertEquals(201, second.status(), second.toString());
        assertEquals(first.string("client_id"), second.string("client_id"));
        assertNotEquals(first.string("client_id"), other.string("client_id"));
        assertEquals(1, TestDatabase.count(NAME, "SELECT COUNT(*) FROM oauth_clients WHERE client_name = ?", name));
    }

    /** Concurrent identical registrations all get 201 and one client_id: the UNIQUE digest, never a 500. */
    @Test
    void concurrentIdenticalRegistrationsAllGetTheSameClientId() throws Exception {
        JsonObject metadata = metadata("native", "com.example.app:/cb").build();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return oauth.register(metadata);
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<Reply> reply : replies) {
                Reply r = reply.get();
                assertEquals(201, r.status(), r.toString());
                ids.add(r.string("client_id"));
            }
            assertEquals(1, ids.size(), "one client_id: " + ids);
        } finally {
            pool.shutdownNow();
        }
    }
}
