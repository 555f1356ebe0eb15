package org.turnkey.account;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AccountService#checkPassword}: the one password check, and the hash upgrade after it. */
class PasswordCheckTest {

    private static final String PASSWORD = "correct horse";

    /** Small parameters keep the test fast; only their order matters. */
    private final PasswordHasher weak = new PasswordHasher(1024, 1, 1, 1);
    private final PasswordHasher configured = new PasswordHasher(2048, 2, 1, 1);
    private final List<String[]> replaced = new ArrayList<>();
    private final AccountService accounts = new AccountService();

    PasswordCheckTest() {
        accounts.hasher = configured;
        accounts.users = new UserStore() {
            @Override
            public void replaceHash(String userId, String expected, String replacement) {
                replaced.add(new String[] {userId, expected, replacement});
            }
        };
    }

    @Test
    void rightPasswordOnAWeakerHashUpgradesItToTheConfiguredParameters() {
        String old = weak.hash(PASSWORD);
        assertTrue(accounts.checkPassword(new User("@alice:localhost", old, 0), PASSWORD));
        assertEquals(1, replaced.size());
        String[] update = replaced.get(0);
        assertEquals("@alice:localhost", update[0]);
        assertEquals(old, update[1], "only replaces the hash that was checked");
        assertTrue(update[2].startsWith("$argon2id$v=19$m=2048,t=2,p=1$"), update[2]);
        assertTrue(configured.verify(PASSWORD, update[2]));
        assertFalse(configured.needsRehash(update[2]));
    }

    @Test
    void wrongPasswordOnAWeakerHashLeavesItAlone() {
        assertFalse(accounts.checkPassword(new User("@alice:localhost", weak.hash(PASSWORD), 0), "Correct horse"));
        assertTrue(replaced.isEmpty());
    }

    @Test
    void hashWithTheConfiguredParametersIsNotRehashed() {
        assertTrue(accounts.checkPassword(new User("@alice:localhost", configured.hash(PASSWORD), 0), PASSWORD));
        assertTrue(replaced.isEmpty());
    }

    @Test
    void deactivatedAccountWithoutHashNeverMatches() {
        assertFalse(accounts.checkPassword(new User("@alice:localhost", null, 0), PASSWORD));
        assertTrue(replaced.isEmpty());
    }
}
