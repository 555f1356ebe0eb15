package org.turnkey.oauth.client;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.turnkey.api.Jsons;
import org.turnkey.api.OAuthException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic client registration rules (RFC 7591 sections 2 and 3.2.2; spec "Client registration",
 * "Metadata localization", "Redirect URI validation"; RFC 8252 section 7). The policy reads no
 * clock: a registration's outcome depends on its metadata only.
 */
class ClientRegistrationPolicyTest {

    private final ClientRegistrationPolicy policy = new ClientRegistrationPolicy();

    private static JsonObjectBuilder web(String... redirectUris) {
        return Jsons.createObjectBuilder().add("client_uri", "https://example.com/")
                .add("redirect_uris", Jsons.createArrayBuilder(List.of(redirectUris)));
    }

    private static JsonObjectBuilder nativeApp(String... redirectUris) {
        return web(redirectUris).add("application_type", "native");
    }

    private void assertError(String error, JsonObjectBuilder request) {
        OAuthException e = assertThrows(OAuthException.class, () -> policy.decide(request.build()));
        assertEquals(error, e.error(), e.getMessage());
        assertEquals(400, e.status());
        assertFalse(e.getMessage().isBlank(), "error_description says what is wrong");
    }

    /** Spec "Dynamic client registration flow": the example request gives the example answer. */
    @Test
    void specExampleRegistersWithUnsupportedGrantTypeDroppedAndLocalizedValuesKept() {
        JsonObject request = Jsons.createReader(new java.io.StringReader("""
                {"client_name": "My App", "client_name#fr": "Mon application",
                 "client_uri": "https://example.com/", "logo_uri": "https://example.com/logo.png",
                 "tos_uri": "https://example.com/tos.html", "tos_uri#fr": "https://example.com/fr/tos.html",
                 "policy_uri": "https://example.com/policy.html", "policy_uri#fr": "https://example.com/fr/policy.html",
                 "redirect_uris": ["https://app.example.com/callback"], "token_endpoint_auth_method": "none",
                 "response_types": ["code"], "grant_types": ["authorization_code", "refresh_token",
                 "urn:ietf:params:oauth:grant-type:token-exchange"], "application_type": "web",
                 "contacts": ["admin@example.com"]}""")).readObject();
        JsonObject registered = policy.decide(request).metadata();
        assertEquals(List.of("authorization_code", "refresh_token"),
                registered.getJsonArray("grant_types").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals("Mon application", registered.getString("client_name#fr"));
        assertEquals("https://example.com/fr/tos.html", registered.getString("tos_uri#fr"));
        assertEquals("https://example.com/fr/policy.html", registered.getString("policy_uri#fr"));
        assertEquals("none", registered.getString("token_endpoint_auth_method"));
        assertEquals("web", registered.getString("application_type"));
        assertFalse(registered.containsKey("contacts"), "metadata Turnkey does not use is dropped");
    }

    /** RFC 7591 section 2 defaults, filled in so the answer states them. */
    @Test
    void defaultsAreWebPublicCodeWithRefresh() {
        JsonObject registered = policy.decide(web("https://example.com/cb").build()).metadata();
        assertEquals("web", registered.getString("application_type"));
        assertEquals("none", registered.getString("token_endpoint_auth_method"));
        assertEquals("[\"code\"]", registered.getJsonArray("response_types").toString());
        assertEquals("[\"authorization_code\",\"refresh_token\"]", registered.getJsonArray("grant_types").toString());
    }

    /** Spec note on de-duplication: identical normalised metadata has one digest, whatever the key order. */
    @Test
    void identicalMetadataHasOneDigestAndDifferentMetadataAnother() {
        String a = policy.decide(web("https://example.com/cb").add("client_name", "A").build()).digest();
        String sameReordered = policy.decide(Jsons.createObjectBuilder().add("client_name", "A")
                .add("redirect_uris", Jsons.createArrayBuilder().add("https://example.com/cb"))
                .add("token_endpoint_auth_method", "none").add("client_uri", "https://example.com/").build()).digest();
        String other = policy.decide(web("https://example.com/cb").add("client_name", "B").build()).digest();
        assertEquals(a, sameReordered);
        assertNotEquals(a, other);
        assertEquals(64, a.length());
    }

    /** RFC 7591 section 2: Turnkey registers public clients only. */
    @ParameterizedTest
    @ValueSource(strings = {"client_secret_basic", "client_secret_post", "private_key_jwt"})
    void confidentialClientAuthMethodsAreRefused(String method) {
        assertError("invalid_client_metadata", web("https://example.com/cb").add("token_endpoint_auth_method", method));
    }

    /** Spec "Authorisation code grant": the code flow only, so response_types is ["code"] (RFC 7591 section 2). */
    @Test
    void responseTypesOtherThanCodeAreRefused() {
        assertError("invalid_client_metadata", web("https://example.com/cb")
                .add("response_types", Jsons.createArrayBuilder().add("token")));
        assertError("invalid_client_metadata", web("https://example.com/cb")
                .add("response_types", Jsons.createArrayBuilder().add("code").add("id_token")));
    }

    /** RFC 7591 section 2 grant_types: unsupported ones dropped as in the spec's example; a sign-in grant required. */
    @Test
    void grantTypesWithoutASignInGrantAreRefused() {
        assertError("invalid_client_metadata", web("https://example.com/cb")
                .add("grant_types", Jsons.createArrayBuilder().add("refresh_token")));
        JsonObject onlyCode = policy.decide(web("https://example.com/cb")
                .add("grant_types", Jsons.createArrayBuilder().add("authorization_code").add("implicit")).build()).metadata();
        assertEquals("[\"authorization_code\"]", onlyCode.getJsonArray("grant_types").toString());
    }

    /** RFC 8628 section 7.2: the device code grant is kept when asked for, and only then. */
    @Test
    void deviceCodeGrantIsKeptOnlyWhenAskedFor() {
        JsonObject device = policy.decide(web("https://example.com/cb").add("grant_types", Jsons.createArrayBuilder()
                .add("authorization_code").add("refresh_token").add(ClientRegistrationPolicy.DEVICE_CODE)).build()).metadata();
        assertEquals("[\"authorization_code\",\"refresh_token\",\"urn:ietf:params:oauth:grant-type:device_code\"]",
                device.getJsonArray("grant_types").toString());
        JsonObject byDefault = policy.decide(web("https://example.com/cb").build()).metadata();
        assertFalse(byDefault.getJsonArray("grant_types").toString().contains("device_code"), byDefault.toString());
    }

    /** RFC 8628 section 3.1: a TV or CLI client with only the device grant registers without redirect_uris. */
    @Test
    void deviceGrantOnlyClientNeedsNoRedirectUris() {
        JsonObject tv = policy.decide(web().add("grant_types", Jsons.createArrayBuilder()
                .add(ClientRegistrationPolicy.DEVICE_CODE).add("refresh_token")).build()).metadata();
        assertEquals("[\"refresh_token\",\"urn:ietf:params:oauth:grant-type:device_code\"]",
                tv.getJsonArray("grant_types").toString());
        assertEquals("[]", tv.getJsonArray("redirect_uris").toString());
        // The code grant still needs somewhere to send the code.
        assertError("invalid_redirect_uri", web().add("grant_types", Jsons.createArrayBuilder()
                .add("authorization_code").add(ClientRegistrationPolicy.DEVICE_CODE)));
    }

    /** Spec "Client metadata" / OpenID Connect Registration: application_type is web or native. */
    @Test
    void applicationTypeMustBeWebOrNative() {
        assertError("invalid_client_metadata", web("https://example.com/cb").add("application_type", "desktop"));
        assertEquals("native", policy.decide(nativeApp("com.example.app:/cb").build()).metadata()
                .getString("application_type"));
    }

    /** Spec "Client metadata": client_uri is required, https, and has no user information. */
    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/", "https://user@example.com/", "example.com", "https:///path",
            "not a uri", "ftp://example.com/"})
    void clientUriMustBeHttpsWithHostAndNoUserinfo(String clientUri) {
        assertError("invalid_client_metadata", Jsons.createObjectBuilder().add("client_uri", clientUri)
                .add("redirect_uris", Jsons.createArrayBuilder().add("https://example.com/cb")));
    }

    /** Spec "Client metadata": client_uri is required (it anchors every other URI). */
    @Test
    void clientUriIsRequired() {
        assertError("invalid_client_metadata", Jsons.createObjectBuilder()
                .add("redirect_uris", Jsons.createArrayBuilder().add("https://example.com/cb")));
    }

    /** logo_uri, tos_uri, policy_uri and their localized variants: https on client_uri's host or a subdomain. */
    @ParameterizedTest
    @ValueSource(strings = {"logo_uri", "tos_uri", "policy_uri", "tos_uri#fr", "logo_uri#en-GB"})
    void hostedUrisMustBeHttpsUnderTheClientUriHost(String field) {
        assertTrue(policy.decide(web("https://example.com/cb").add(field, "https://cdn.example.com/x").build())
                .metadata().containsKey(field));
        assertError("invalid_client_metadata", web("https://example.com/cb").add(field, "https://evil.com/x"));
        assertError("invalid_client_metadata", web("https://example.com/cb").add(field, "https://badexample.com/x"));
        assertError("invalid_client_metadata", web("https://example.com/cb").add(field, "http://example.com/x"));
        assertError("invalid_client_metadata", web("https://example.com/cb").add(field, "https://u:p@example.com/x"));
    }

    /** Spec "Metadata localization", RFC 7591 section 2.2: name#BCP47-tag, validated like the base field. */
    @Test
    void localizedFieldsNeedALanguageTagAndStringValues() {
        assertError("invalid_client_metadata", web("https://example.com/cb").add("client_name#", "x"));
        assertError("invalid_client_metadata", web("https://example.com/cb").add("client_name#not a tag", "x"));
        assertError("invalid_client_metadata", web("https://example.com/cb").add("client_name", 5));
        assertEquals("Boîte", policy.decide(web("https://example.com/cb").add("client_name#fr", "Boîte").build())
                .metadata().getString("client_name#fr"));
    }

    /** Spec "Redirect URI validation", web clients: its valid examples. */
    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/callback", "https://app.example.com/callback",
            "https://example.com:5173/?query=value"})
    void webRedirectUrisOfTheSpecAreAccepted(String uri) {
        policy.decide(web(uri).build());
    }

    /** Spec "Redirect URI validation", web clients: its invalid examples, and user information. */
    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/callback#fragment", "http://example.com/callback",
            "http://localhost/", "https://user:pw@example.com/cb", "https://example.org/cb",
            "https://notexample.com/cb", "com.example.app:/callback", "/relative"})
    void webRedirectUrisOutsideTheRulesAreRefused(String uri) {
        assertError("invalid_redirect_uri", web(uri));
    }

    /** Spec "Redirect URI validation", native clients: its valid examples and a claimed https URI. */
    @ParameterizedTest
    @ValueSource(strings = {"com.example.app:/callback", "com.example:/", "com.example:callback",
            "http://localhost/callback", "http://127.0.0.1/callback", "http://[::1]/callback",
            "https://app.example.com/callback"})
    void nativeRedirectUrisOfTheSpecAreAccepted(String uri) {
        policy.decide(nativeApp(uri).build());
    }

    /** Spec "Redirect URI validation", native clients: its invalid examples and more. */
    @ParameterizedTest
    @ValueSource(strings = {"example:/callback", "com.example.app://callback", "https://localhost/callback",
            "http://localhost:1234/callback", "com.exampleapp:/cb", "org.example:/cb",
            "http://192.168.1.1/cb", "http://user@localhost/cb", "com.example.app:/cb#frag",
            "http://example.com/cb"})
    void nativeRedirectUrisOutsideTheRulesAreRefused(String uri) {
        assertError("invalid_redirect_uri", nativeApp(uri));
    }

    /** RFC 7591 section 2: redirect_uris is required for the authorization code grant. */
    @Test
    void redirectUrisAreRequired() {
        assertError("invalid_redirect_uri", Jsons.createObjectBuilder().add("client_uri", "https://example.com/"));
        assertError("invalid_redirect_uri", web());
    }

    /** A body that is not one JSON object is invalid_client_metadata (RFC 7591 section 3.2.2). */
    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "\"string\"", "{\"a\":", "client_uri=https://example.com/"})
    void bodiesThatAreNotAJsonObjectAreInvalidClientMetadata(String body) {
        OAuthException e = assertThrows(OAuthException.class, () -> ClientRegistrationPolicy.parse(body));
        assertEquals("invalid_client_metadata", e.error());
    }
}
