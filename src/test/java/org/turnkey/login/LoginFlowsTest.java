package org.turnkey.login;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.support.MapConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Spec "OAuth 2.0 aware clients" (server behaviour): which flows {@code GET /login} lists, by configuration. */
class LoginFlowsTest {

    private static List<String> flows(String... settings) {
        TurnkeyConfig config = new TurnkeyConfig(MapConfig.of(settings));
        LoginResource resource = new LoginResource();
        resource.config = config;
        resource.oauth = new OAuthSettings(config);
        return resource.flows().getJsonArray("flows").getValuesAs(JsonObject.class).stream()
                .map(JsonObject::toString).toList();
    }

    @Test
    void ssoWithOauthAwarePreferredIsListedByDefault() {
        assertEquals(List.of("{\"type\":\"m.login.password\"}", "{\"type\":\"m.login.token\",\"get_login_token\":true}",
                "{\"type\":\"m.login.sso\",\"oauth_aware_preferred\":true}"), flows());
    }

    @Test
    void ssoIsNotListedWhenLegacySsoIsOff() {
        assertEquals(List.of("{\"type\":\"m.login.password\"}", "{\"type\":\"m.login.token\",\"get_login_token\":true}"),
                flows("turnkey.oauth.legacy-sso", "false"));
    }

    @Test
    void ssoIsNotListedWithoutLoginTokensWhichItHandsOut() {
        assertEquals(List.of("{\"type\":\"m.login.password\"}"), flows("turnkey.login-token.enabled", "false"));
    }

    @Test
    void theAllowlistIsReadAsCommaSeparatedEntries() {
        OAuthSettings settings = new OAuthSettings(new TurnkeyConfig(MapConfig.of(
                "turnkey.oauth.sso-redirect-allowlist", " a.example , https://b.example/x/,, ")));
        assertEquals(List.of("a.example", "https://b.example/x/"), settings.ssoRedirectAllowlist());
    }
}
