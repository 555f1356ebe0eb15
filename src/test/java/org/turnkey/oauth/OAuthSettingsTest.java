package org.turnkey.oauth;

import org.junit.jupiter.api.Test;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.support.MapConfig;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The OAuth settings (README "Configuration"): the device grant's defaults and the ranges refused at start-up, the registration page. */
class OAuthSettingsTest {

    private static OAuthSettings settings(String... keysAndValues) {
        return new OAuthSettings(new TurnkeyConfig(MapConfig.of(keysAndValues)));
    }

    @Test
    void deviceCodesLastTenMinutesAndArePolledEveryFiveSecondsByDefault() {
        OAuthSettings defaults = settings();
        assertEquals(Duration.ofMinutes(10), defaults.deviceCodeLifetime());
        assertEquals(Duration.ofSeconds(5), defaults.deviceCodeInterval());
        OAuthSettings set = settings("turnkey.oauth.device-code-lifetime", "PT30S",
                "turnkey.oauth.device-code-interval", "PT1S");
        assertEquals(Duration.ofSeconds(30), set.deviceCodeLifetime());
        assertEquals(Duration.ofSeconds(1), set.deviceCodeInterval());
    }

    /** RFC 8628 section 3.2: interval is whole seconds; a lifetime beyond an hour or under a second is a mistake. */
    @Test
    void deviceCodeSettingsOutOfRangeAreRefused() {
        assertThrows(IllegalStateException.class, () -> settings("turnkey.oauth.device-code-interval", "PT0.5S"));
        assertThrows(IllegalStateException.class, () -> settings("turnkey.oauth.device-code-interval", "PT1.5S"));
        assertThrows(IllegalStateException.class, () -> settings("turnkey.oauth.device-code-interval", "PT2M"));
        assertThrows(IllegalStateException.class, () -> settings("turnkey.oauth.device-code-lifetime", "PT2H"));
        assertThrows(IllegalStateException.class, () -> settings("turnkey.oauth.device-code-lifetime", "PT0S"));
    }

    /** The registration page asks for no email address, so it is off where registration requires one (issue 23). */
    @Test
    void theRegistrationPageStaysOnWhereRegistrationRequiresAnEmailAddress() {
        assertTrue(settings("turnkey.registration.enabled", "true").registrationPages());
        assertTrue(settings("turnkey.registration.enabled", "true", "turnkey.registration.requires-email", "true")
                .registrationPages(), "the page asks for the address");
        assertFalse(settings("turnkey.registration.enabled", "true", "turnkey.oauth.registration-pages", "false")
                .registrationPages());
    }
}
