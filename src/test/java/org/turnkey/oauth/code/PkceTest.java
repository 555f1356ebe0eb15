package org.turnkey.oauth.code;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7636: S256 only, verifiers of 43 to 128 unreserved characters. */
class PkceTest {

    /** RFC 7636 Appendix B's example. */
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void rfc7636AppendixBExampleMatches() {
        assertEquals(CHALLENGE, Pkce.challengeOf(VERIFIER));
        assertTrue(Pkce.matches(VERIFIER, CHALLENGE));
    }

    @Test
    void wrongOrMalformedVerifiersDoNotMatch() {
        assertFalse(Pkce.matches(VERIFIER.replace('d', 'e'), CHALLENGE));
        assertFalse(Pkce.matches("short", Pkce.challengeOf("short")));
        assertFalse(Pkce.matches("a".repeat(129), Pkce.challengeOf("a".repeat(129))));
        assertFalse(Pkce.matches(VERIFIER + "!", Pkce.challengeOf(VERIFIER + "!")));
        assertFalse(Pkce.matches(null, CHALLENGE));
        // "plain": the challenge is the verifier itself.
        assertFalse(Pkce.matches(VERIFIER, VERIFIER));
    }

    @Test
    void challengeMustBeAnS256Digest() {
        assertTrue(Pkce.validChallenge(CHALLENGE));
        assertFalse(Pkce.validChallenge(CHALLENGE + "A"));
        assertFalse(Pkce.validChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"));
        assertFalse(Pkce.validChallenge(null));
    }
}
