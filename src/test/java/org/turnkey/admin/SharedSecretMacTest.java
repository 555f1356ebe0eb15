package org.turnkey.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MAC must be byte-for-byte what Synapse's register_new_matrix_user sends. */
class SharedSecretMacTest {

    private static final String SECRET = "a-long-shared-secret-0123";

    @Test
    void matchesSynapsesConstruction() {
        // Expected values from Python's hmac.new(secret, nonce\0user\0password\0admin, sha1).hexdigest().
        assertEquals("f25cf12ce472a6caa5f6d21e932a6e827ff04414",
                SharedSecretMac.compute(SECRET, "abcdef", "alice", "pässword", true));
        assertEquals("538f0f2752b65b8a9c1b64307319587c42f90363",
                SharedSecretMac.compute(SECRET, "abcdef", "alice", "pässword", false));
    }

    @Test
    void acceptsOnlyTheExactMac() {
        String mac = SharedSecretMac.compute(SECRET, "n", "bob", "pw", false);
        assertTrue(SharedSecretMac.matches(SECRET, "n", "bob", "pw", false, mac));
        assertFalse(SharedSecretMac.matches(SECRET, "n", "bob", "pw", true, mac), "admin flag is signed");
        assertFalse(SharedSecretMac.matches(SECRET, "m", "bob", "pw", false, mac), "nonce is signed");
        assertFalse(SharedSecretMac.matches("another-secret-of-length", "n", "bob", "pw", false, mac));
        assertFalse(SharedSecretMac.matches(SECRET, "n", "bob", "pw", false, mac.toUpperCase()));
        assertFalse(SharedSecretMac.matches(SECRET, "n", "bob", "pw", false, mac.substring(1)));
        assertFalse(SharedSecretMac.matches(SECRET, "n", "bob", "pw", false, ""));
        // Moving a field boundary changes the MAC: the NUL separators are part of it.
        assertFalse(SharedSecretMac.matches(SECRET, "n", "bo", "bpw", false, mac));
    }
}
