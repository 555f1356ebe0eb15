package org.turnkey.token;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokensTest {

    @Test
    void tokensCarryAtLeast128RandomBitsAndAPrefix() {
        String access = Tokens.newAccessToken();
        assertTrue(access.startsWith(Tokens.ACCESS_PREFIX));
        byte[] raw = Base64.getUrlDecoder().decode(access.substring(Tokens.ACCESS_PREFIX.length()));
        assertTrue(raw.length * 8 >= 128);
        assertTrue(Tokens.newRefreshToken().startsWith(Tokens.REFRESH_PREFIX));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(Tokens.newAccessToken()));
        }
    }

    @Test
    void storedFormIsTheSha256HexAndNotTheToken() {
        String token = "tka_example";
        String hash = Tokens.hash(token);
        assertEquals(64, hash.length());
        assertTrue(hash.matches("[0-9a-f]{64}"));
        assertFalse(hash.contains("example"));
        assertEquals(hash, Tokens.hash(token));
        assertNotEquals(hash, Tokens.hash(token + "x"));
    }

    @Test
    void successorsAreDeterministicForOneSaltAndUnrelatedAcrossSalts() {
        String parent = Tokens.newRefreshToken();
        assertEquals(Tokens.successorAccessToken("s1", parent), Tokens.successorAccessToken("s1", parent));
        assertNotEquals(Tokens.successorAccessToken("s1", parent), Tokens.successorAccessToken("s2", parent));
        assertNotEquals(Tokens.successorAccessToken("s1", parent), Tokens.successorRefreshToken("s1", parent));
        assertNotEquals(Tokens.successorAccessToken("s1", parent), Tokens.successorAccessToken("s1", parent + "x"));
        assertTrue(Tokens.successorRefreshToken("s1", parent).startsWith(Tokens.REFRESH_PREFIX));
    }

    @Test
    void comparisonIsExact() {
        assertTrue(Tokens.same("abc", "abc"));
        assertFalse(Tokens.same("abc", "abd"));
        assertFalse(Tokens.same("abc", null));
    }
}
