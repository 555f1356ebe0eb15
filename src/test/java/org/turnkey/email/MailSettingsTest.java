package org.turnkey.email;

import org.junit.jupiter.api.Test;
import org.turnkey.api.MatrixException;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.support.MapConfig;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The turnkey.mail.* and turnkey.email.* keys, and addresses as Turnkey compares them. */
class MailSettingsTest {

    private static MailSettings settings(String... keysAndValues) {
        return new MailSettings(new TurnkeyConfig(MapConfig.of(keysAndValues)));
    }

    @Test
    void mailIsOffByDefaultWithSafeDefaults() {
        MailSettings s = settings();
        assertFalse(s.enabled());
        assertEquals(MailSettings.Security.STARTTLS, s.security());
        assertEquals(Duration.ofHours(1), s.tokenLifetime());
        assertFalse(s.revealUnknownAddresses());
        assertFalse(s.registrationRequiresEmail());
    }

    @Test
    void enabledMailNeedsASender() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> settings("turnkey.mail.enabled", "true"));
        assertTrue(e.getMessage().contains("turnkey.mail.from"), e.getMessage());
        assertEquals("Matrix <noreply@example.org>",
                settings("turnkey.mail.enabled", "true", "turnkey.mail.from", "Matrix <noreply@example.org>").from());
    }

    @Test
    void aSenderThatCouldInjectHeadersIsRefused() {
        assertThrows(IllegalStateException.class, () -> settings("turnkey.mail.from", "a@example.org\r\nBcc: x@example.org"));
        assertThrows(IllegalStateException.class, () -> settings("turnkey.mail.from", "not an address"));
    }

    @Test
    void unknownSecurityIsRefusedAndThePasswordIsNeverInTheMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> settings("turnkey.mail.security", "ssl3", "turnkey.mail.password", "hunter2"));
        assertTrue(e.getMessage().contains("turnkey.mail.security"));
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void requiringEmailAtRegistrationNeedsMail() {
        assertThrows(IllegalStateException.class, () -> settings("turnkey.registration.requires-email", "true"));
        assertTrue(settings("turnkey.registration.requires-email", "true", "turnkey.mail.enabled", "true",
                "turnkey.mail.from", "noreply@example.org").registrationRequiresEmail());
    }

    @Test
    void addressesAreComparedLowerCasedAndTrimmed() {
        assertEquals("alice@example.org", Emails.canonical(" Alice@Example.ORG "));
    }

    @Test
    void addressesThatAreNotOneMailboxAreInvalid() {
        for (String bad : new String[]{"", "alice", "alice@", "@example.org", "a b@example.org", "a@example.org\r\nBcc: b@c.d",
                "<a@example.org>", "a@example.org, b@example.org", "a@-example.org"}) {
            MatrixException e = assertThrows(MatrixException.class, () -> Emails.canonical(bad), bad);
            assertEquals("M_INVALID_PARAM", e.errcode().name());
        }
    }

    @Test
    void logLinesNameOnlyTheDomain() {
        assertEquals("example.org", Emails.domainOf("alice@example.org"));
    }
}
