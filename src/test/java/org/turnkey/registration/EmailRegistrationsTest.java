package org.turnkey.registration;

import org.junit.jupiter.api.Test;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.email.MailSettings;
import org.turnkey.registration.EmailRegistrations.Mode;
import org.turnkey.support.MapConfig;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the registration page asks for an email address, and what it does with one (issue 23). */
class EmailRegistrationsTest {

    private static EmailRegistrations with(String... keysAndValues) {
        return new EmailRegistrations(new MailSettings(new TurnkeyConfig(MapConfig.of(keysAndValues))));
    }

    private static final String[] MAIL = {"turnkey.mail.enabled", "true", "turnkey.mail.from", "noreply@example.org"};

    @Test
    void withMailOffThePageHasNoAddressFieldAndRegistersAtOnce() {
        EmailRegistrations off = with();
        assertFalse(off.offered());
        assertFalse(off.required());
        assertEquals(Mode.DIRECT, off.mode(""));
        assertEquals(Mode.DIRECT, off.mode("someone@example.org"), "a field the page never showed is ignored");
    }

    @Test
    void withMailOnAnOptionalAddressIsValidatedWhenGivenAndSkippedWhenEmpty() {
        EmailRegistrations optional = with(MAIL);
        assertTrue(optional.offered());
        assertFalse(optional.required());
        assertEquals(Mode.DIRECT, optional.mode(""));
        assertEquals(Mode.DIRECT, optional.mode("   "));
        assertEquals(Mode.DIRECT, optional.mode(null));
        assertEquals(Mode.BY_EMAIL, optional.mode("someone@example.org"));
    }

    @Test
    void requiresEmailRejectsAFormWithoutAddress() {
        EmailRegistrations required = with("turnkey.mail.enabled", "true", "turnkey.mail.from", "noreply@example.org",
                "turnkey.registration.requires-email", "true");
        assertTrue(required.required());
        assertEquals(Mode.ADDRESS_MISSING, required.mode(""));
        assertEquals(Mode.ADDRESS_MISSING, required.mode(" "));
        assertEquals(Mode.BY_EMAIL, required.mode("someone@example.org"));
    }

    @Test
    void typedAddressesAreCanonicalOrRefused() {
        assertEquals(Optional.of("someone@example.org"), EmailRegistrations.address(" Someone@Example.ORG "));
        assertEquals(Optional.empty(), EmailRegistrations.address("not an address"));
        assertEquals(Optional.empty(), EmailRegistrations.address("@example.org"));
    }

    @Test
    void theClientSecretIsDerivedFromTheBrowsersKeyAndIsAValidClientSecret() {
        String secret = EmailRegistrations.clientSecret("key-1");
        assertEquals(secret, EmailRegistrations.clientSecret("key-1"));
        assertNotEquals(secret, EmailRegistrations.clientSecret("key-2"));
        assertNotEquals("key-1", secret);
        assertTrue(secret.matches("[0-9a-zA-Z.=_\\-]{1,255}"), secret);
    }
}
