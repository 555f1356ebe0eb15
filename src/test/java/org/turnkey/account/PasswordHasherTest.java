package org.turnkey.account;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    private final PasswordHasher owaspMinimum = new PasswordHasher(19 * 1024, 2, 1, 2);

    @Test
    void hashesAreArgon2idPhcStringsWithOwaspParameters() {
        String phc = owaspMinimum.hash("correct horse");
        assertTrue(phc.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), phc);
        assertFalse(phc.contains("correct horse"));
    }

    @Test
    void verifiesTheRightPasswordOnlyAndSaltsEachHash() {
        String phc = owaspMinimum.hash("correct horse");
        assertTrue(owaspMinimum.verify("correct horse", phc));
        assertFalse(owaspMinimum.verify("Correct horse", phc));
        assertNotEquals(phc, owaspMinimum.hash("correct horse"));
    }

    @Test
    void hashesWithOlderParametersStillVerifyAndAskForARehash() {
        PasswordHasher stronger = new PasswordHasher(32 * 1024, 3, 1, 2);
        String old = owaspMinimum.hash("pw");
        assertTrue(stronger.verify("pw", old));
        assertTrue(stronger.needsRehash(old));
        assertFalse(stronger.needsRehash(stronger.hash("pw")));
    }

    @Test
    void hashesStrongerThanTheConfigurationAreKept() {
        PasswordHasher stronger = new PasswordHasher(32 * 1024, 3, 1, 2);
        assertFalse(owaspMinimum.needsRehash(stronger.hash("pw")));
        assertTrue(owaspMinimum.needsRehash("$argon2id$v=19$m=65536,t=1,p=1$AAAA$AAAA"), "fewer iterations");
        assertTrue(owaspMinimum.needsRehash("plain"));
    }

    @Test
    void malformedOrMissingHashesNeverMatch() {
        assertFalse(owaspMinimum.verify("pw", null));
        assertFalse(owaspMinimum.verify("pw", "plain"));
        assertFalse(owaspMinimum.verify("pw", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA"));
        assertFalse(owaspMinimum.verify("pw", "$argon2id$v=19$m=x,t=2,p=1$AAAA$AAAA"));
        assertFalse(owaspMinimum.verify("pw", "$argon2id$v=19$m=19456,t=2,p=1$not*base64$AAAA"));
    }
}
