package org.turnkey.account;

import org.junit.jupiter.api.Test;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.MatrixException;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Spec appendix "User Identifiers": localpart grammar and length. */
class UserIdsTest {

    @Test
    void registrationLowerCasesAndBuildsTheFullId() {
        assertEquals("@alice:localhost", UserIds.forRegistration("Alice", "localhost"));
        assertEquals("@a.b_c=d-e/f+g:example.org", UserIds.forRegistration("a.b_c=d-e/f+g", "example.org"));
    }

    @Test
    void registrationRejectsCharactersOutsideTheGrammar() {
        for (String bad : new String[]{"", "al ice", "al:ice", "@alice", "ålice", "alice!", "a\u0000"}) {
            MatrixException e = assertThrows(MatrixException.class, () -> UserIds.forRegistration(bad, "localhost"), bad);
            assertEquals(ErrorCode.M_INVALID_USERNAME, e.errcode());
            assertEquals(400, e.status());
        }
    }

    @Test
    void registrationRejectsIdsLongerThan255Characters() {
        String server = "localhost";
        String fits = "a".repeat(255 - "@:localhost".length());
        assertEquals(255, UserIds.forRegistration(fits, server).length());
        assertThrows(MatrixException.class, () -> UserIds.forRegistration(fits + "a", server));
    }

    @Test
    void loginAcceptsLocalpartOrFullIdInAnyCase() {
        assertEquals(Optional.of("@alice:localhost"), UserIds.forLogin("alice", "localhost"));
        assertEquals(Optional.of("@alice:localhost"), UserIds.forLogin("@Alice:LOCALHOST", "localhost"));
        assertEquals(Optional.of("@alice:localhost"), UserIds.forLogin("ALICE", "localhost"));
    }

    @Test
    void loginNeverNamesUsersOfOtherServersOrInvalidNames() {
        assertEquals(Optional.empty(), UserIds.forLogin("@alice:elsewhere.org", "localhost"));
        assertEquals(Optional.empty(), UserIds.forLogin("@alice", "localhost"));
        assertEquals(Optional.empty(), UserIds.forLogin("al ice", "localhost"));
    }
}
