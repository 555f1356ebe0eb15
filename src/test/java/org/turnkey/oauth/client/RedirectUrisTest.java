package org.turnkey.oauth.client;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.turnkey.api.Jsons;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 6749 section 3.1.2.3 exact matching; spec "Redirect URI validation": loopback with any port. */
class RedirectUrisTest {

    private static OAuthClient client(String type, String... uris) {
        var array = Jsons.createArrayBuilder();
        for (String uri : uris) {
            array.add(uri);
        }
        JsonObject metadata = Jsons.createObjectBuilder().add("application_type", type).add("redirect_uris", array).build();
        return new OAuthClient("c1", "digest", metadata, 0);
    }

    @Test
    void registeredUriMatchesExactlyOnly() {
        OAuthClient web = client(OAuthClient.WEB, "https://app.example.com/callback");
        assertTrue(RedirectUris.allowed(web, "https://app.example.com/callback"));
        assertFalse(RedirectUris.allowed(web, "https://app.example.com/callback/"));
        assertFalse(RedirectUris.allowed(web, "https://app.example.com/callback?x=1"));
        assertFalse(RedirectUris.allowed(web, "https://APP.example.com/callback"));
        assertFalse(RedirectUris.allowed(web, null));
    }

    @Test
    void nativeLoopbackAcceptsAnyPortAtAuthorisationTime() {
        OAuthClient app = client(OAuthClient.NATIVE, "http://127.0.0.1/callback", "http://[::1]/", "com.example.app:/cb");
        assertTrue(RedirectUris.allowed(app, "http://127.0.0.1:49152/callback"));
        assertTrue(RedirectUris.allowed(app, "http://127.0.0.1/callback"));
        assertTrue(RedirectUris.allowed(app, "http://[::1]:8080/"));
        assertTrue(RedirectUris.allowed(app, "com.example.app:/cb"));
        assertFalse(RedirectUris.allowed(app, "http://127.0.0.1:49152/other"));
        assertFalse(RedirectUris.allowed(app, "http://localhost:49152/callback"));
        assertFalse(RedirectUris.allowed(app, "https://127.0.0.1:49152/callback"));
        assertFalse(RedirectUris.allowed(app, "http://user@127.0.0.1:1/callback"));
    }

    @Test
    void webClientsGetNoLoopbackPortExemption() {
        OAuthClient web = client(OAuthClient.WEB, "http://127.0.0.1/callback");
        assertFalse(RedirectUris.allowed(web, "http://127.0.0.1:49152/callback"));
    }
}
