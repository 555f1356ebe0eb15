package org.turnkey.registration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "Token-authenticated registration": operator tokens with uses and expiry. */
class RegistrationTokenSeederTest {

    @Test
    @DisplayName("turnkey.registration.tokens lists TOKEN[;uses=N][;expires=instant]")
    void parsesSeeds() {
        List<RegistrationTokenSeeder.Seed> seeds = RegistrationTokenSeeder.parse(
                "open, once;uses=1 ,old;expires=2000-01-01T00:00:00Z;uses=5");
        assertEquals(List.of(new RegistrationTokenSeeder.Seed("open", null, null),
                new RegistrationTokenSeeder.Seed("once", 1, null),
                new RegistrationTokenSeeder.Seed("old", 5, Instant.parse("2000-01-01T00:00:00Z").toEpochMilli())), seeds);
        assertTrue(RegistrationTokenSeeder.parse(" ").isEmpty());
    }

    @Test
    @DisplayName("Malformed seeds fail startup without echoing the secret")
    void rejectsMalformed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RegistrationTokenSeeder.parse("secret value with spaces"));
        assertFalse(e.getMessage().contains("secret"));
        assertThrows(IllegalStateException.class, () -> RegistrationTokenSeeder.parse("t;uses=-1"));
        assertThrows(IllegalStateException.class, () -> RegistrationTokenSeeder.parse("t;expires=tomorrow"));
        assertThrows(IllegalStateException.class, () -> RegistrationTokenSeeder.parse("t;colour=blue"));
        assertThrows(IllegalStateException.class, () -> RegistrationTokenSeeder.parse("x".repeat(65)));
    }

    @Test
    @DisplayName("A token is valid while it has uses left and has not expired")
    void validity() {
        assertTrue(new RegistrationToken("h", null, null, 0).validAt(1));
        assertFalse(new RegistrationToken("h", 0, null, 0).validAt(1));
        assertTrue(new RegistrationToken("h", 1, 10L, 0).validAt(9));
        assertFalse(new RegistrationToken("h", 1, 10L, 0).validAt(10));
    }
}
