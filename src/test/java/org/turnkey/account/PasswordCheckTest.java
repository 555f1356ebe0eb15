package org.turnkey.account;

import org.junit.jupiter.api.Test;
import org.turnkey.account.AccountService.VerifiedPassword;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AccountService#verifyPassword}: the one password check, and the hash upgrade it decides;
 * {@link AccountService#upgradeHashThen}: the upgrade stored before the sign-in it belongs to.
 */
class PasswordCheckTest {

    private static final String PASSWORD = "correct horse";

    /** Small parameters keep the test fast; only their order matters. */
    private final PasswordHasher weak = new PasswordHasher(1024, 1, 1, 1);
    private final PasswordHasher configured = new PasswordHasher(2048, 2, 1, 1);
    private final List<String> writes = new ArrayList<>();
    private final AccountService accounts = new AccountService();

    PasswordCheckTest() {
        accounts.hasher = configured;
        accounts.users = new UserStore() {
            @Override
            public void replaceHash(String userId, String expected, String replacement) {
                writes.add("replaceHash " + userId + " " + expected + " -> " + replacement);
            }
        };
    }

    @Test
    void rightPasswordOnAWeakerHashIsUpgradedToTheConfiguredParametersBeforeTheSignInItBelongsTo() {
        String old = weak.hash(PASSWORD);
        Optional<VerifiedPassword> verified = accounts.verifyPassword(new User("@alice:localhost", old, 0), PASSWORD);
        assertTrue(verified.isPresent());
        assertTrue(writes.isEmpty(), "checking writes nothing by itself");
        String upgraded = verified.get().upgradedHash();
        assertTrue(upgraded.startsWith("$argon2id$v=19$m=2048,t=2,p=1$"), upgraded);
        assertTrue(configured.verify(PASSWORD, upgraded));
        assertFalse(configured.needsRehash(upgraded));

        String result = accounts.upgradeHashThen(verified.get(), () -> {
            writes.add("sign-in");
            return "tokens";
        });
        assertEquals("tokens", result);
        assertEquals(List.of("replaceHash @alice:localhost " + old + " -> " + upgraded, "sign-in"), writes,
                "only the hash that was checked is replaced, and before the sign-in locks anything");
    }

    @Test
    void wrongPasswordOnAWeakerHashIsNoMatchAndNothingToUpgrade() {
        assertTrue(accounts.verifyPassword(new User("@alice:localhost", weak.hash(PASSWORD), 0), "Correct horse").isEmpty());
    }

    @Test
    void hashWithTheConfiguredParametersIsNotRehashed() {
        VerifiedPassword verified = accounts.verifyPassword(
                new User("@alice:localhost", configured.hash(PASSWORD), 0), PASSWORD).orElseThrow();
        assertNull(verified.upgradedHash());
        accounts.upgradeHashThen(verified, () -> writes.add("sign-in"));
        assertEquals(List.of("sign-in"), writes);
    }

    @Test
    void deactivatedAccountWithoutHashNeverMatches() {
        assertTrue(accounts.verifyPassword(new User("@alice:localhost", null, 0), PASSWORD).isEmpty());
    }
}
