package org.turnkey.registration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "Token-authenticated registration": generated tokens are well-formed opaque identifiers. */
class RegistrationTokensTest {

    @Test
    @DisplayName("Generated tokens have the asked length and only the allowed characters")
    void generates() {
        Set<String> seen = new HashSet<>();
        for (int length = 1; length <= 64; length++) {
            String token = RegistrationTokens.generate(length);
            assertEquals(length, token.length());
            assertTrue(RegistrationTokens.wellFormed(token), token);
            seen.add(RegistrationTokens.generate(16));
        }
        assertEquals(64, seen.size(), "16 random characters do not repeat");
        assertThrows(IllegalArgumentException.class, () -> RegistrationTokens.generate(0));
        assertThrows(IllegalArgumentException.class, () -> RegistrationTokens.generate(65));
    }
}
