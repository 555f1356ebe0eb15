package org.turnkey.oauth.metadata;

import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.support.MapConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Spec "User registration": {@code prompt_values_supported} lists create only when accounts can be made. */
class AuthMetadataResourceTest {

    private static List<String> prompts(String... settings) {
        TurnkeyConfig config = new TurnkeyConfig(MapConfig.of(settings));
        AuthMetadataResource resource = new AuthMetadataResource();
        resource.urls = new OAuthUrls(config);
        resource.settings = new OAuthSettings(config);
        return resource.metadata().getJsonArray("prompt_values_supported").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
    }

    @Test
    void promptCreateFollowsRegistrationAndTheRegistrationPagesSetting() {
        assertEquals(List.of(), prompts());
        assertEquals(List.of("create"), prompts("turnkey.registration.enabled", "true"));
        assertEquals(List.of(), prompts("turnkey.registration.enabled", "true", "turnkey.oauth.registration-pages", "false"));
    }
}
