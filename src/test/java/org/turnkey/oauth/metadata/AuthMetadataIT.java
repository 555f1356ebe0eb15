package org.turnkey.oauth.metadata;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spec "Server metadata discovery" ({@code api/oauth_server_metadata.yaml}, RFC 8414 field
 * names): the document a client reads first, served as a reverse proxy deployment would
 * configure it, with every URL under {@code turnkey.public-base-url}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthMetadataIT {

    private static final String BASE = "https://matrix.example.org/";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("oauth-metadata", Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.public-base-url", BASE));
    }

    @ArquillianResource
    URL base;

    private static List<String> strings(JsonObject json, String field) {
        return json.getJsonArray(field).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    /** Every field the spec requires, the values Turnkey supports, every URL https under the issuer. */
    @Test
    void metadataHasEveryRequiredFieldWithUrlsUnderThePublicBaseUrl() {
        Reply reply = new MatrixClient(base).get("/_matrix/client/v1/auth_metadata");
        assertEquals(200, reply.status(), reply.toString());
        JsonObject json = reply.json();
        assertEquals(BASE, json.getString("issuer"));
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "revocation_endpoint",
                "registration_endpoint", "device_authorization_endpoint")) {
            assertTrue(json.getString(endpoint).startsWith(BASE + "_turnkey/oauth2/"), endpoint + ": " + json);
        }
        assertEquals(List.of("code"), strings(json, "response_types_supported"));
        assertEquals(List.of("query", "fragment"), strings(json, "response_modes_supported"));
        // Spec "Device authorisation grant", RFC 8628 section 4.
        assertEquals(List.of("authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"),
                strings(json, "grant_types_supported"));
        assertEquals(List.of("S256"), strings(json, "code_challenge_methods_supported"));
        // Spec "User registration": prompt=create is offered when registration is open.
        assertEquals(List.of("create"), strings(json, "prompt_values_supported"));
        assertTrue(json.getBoolean("authorization_response_iss_parameter_supported"), "RFC 9207");
    }

    /**
     * Spec "Account management URL discovery": {@code account_management_uri} under the issuer,
     * and every action of "Account management URL actions" plus the older names Element X sends.
     */
    @Test
    void metadataAdvertisesTheAccountManagementUriAndItsActions() {
        JsonObject json = new MatrixClient(base).get("/_matrix/client/v1/auth_metadata").json();
        assertEquals(BASE + "_turnkey/account", json.getString("account_management_uri"));
        assertEquals(List.of("org.matrix.profile", "org.matrix.devices_list", "org.matrix.device_view",
                "org.matrix.device_delete", "org.matrix.account_deactivate", "org.matrix.cross_signing_reset",
                "org.matrix.sessions_list", "org.matrix.session_view", "org.matrix.session_end"),
                strings(json, "account_management_actions_supported"));
    }

    /** MSC2965's unstable path, which ruma-based clients (Element X) may still use, serves the same document. */
    @Test
    void unstablePathServesTheSameDocument() {
        MatrixClient client = new MatrixClient(base);
        Reply stable = client.get("/_matrix/client/v1/auth_metadata");
        Reply unstable = client.get("/_matrix/client/unstable/org.matrix.msc2965/auth_metadata");
        assertEquals(200, unstable.status(), unstable.toString());
        assertEquals(stable.json(), unstable.json());
    }

    /** The endpoints the metadata names are served on this path layout (answering, not 404). */
    @Test
    void advertisedEndpointsAreServedAtTheirPaths() {
        MatrixClient client = new MatrixClient(base);
        JsonObject json = client.get("/_matrix/client/v1/auth_metadata").json();
        Reply token = client.postRaw("/" + json.getString("token_endpoint").substring(BASE.length()),
                "grant_type=unknown".getBytes(), "application/x-www-form-urlencoded");
        assertEquals(400, token.status(), token.toString());
        assertEquals("unsupported_grant_type", token.string("error"));
        Reply revoke = client.postRaw("/" + json.getString("revocation_endpoint").substring(BASE.length()),
                "token=unknown".getBytes(), "application/x-www-form-urlencoded");
        assertEquals(200, revoke.status(), revoke.toString());
    }
}
