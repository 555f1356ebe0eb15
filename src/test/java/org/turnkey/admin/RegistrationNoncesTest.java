package org.turnkey.admin;

import org.junit.jupiter.api.Test;
import org.turnkey.api.MatrixException;
import org.turnkey.support.MutableClock;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared-secret registration nonces: single use, a minute long, and a bounded number outstanding. */
class RegistrationNoncesTest {

    /** RegistrationNonces' bound on outstanding nonces. */
    private static final int CAP = 10_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RegistrationNonces nonces = new RegistrationNonces();

    RegistrationNoncesTest() {
        nonces.clock = clock;
    }

    @Test
    void nonceWorksOnceWithinItsMinute() {
        String nonce = nonces.issue();
        clock.advance(RegistrationNonces.LIFETIME.minusMillis(1));
        assertTrue(nonces.consume(nonce));
        assertFalse(nonces.consume(nonce), "single use");
    }

    @Test
    void nonceExpiresAfterAMinute() {
        String nonce = nonces.issue();
        clock.advance(RegistrationNonces.LIFETIME);
        assertFalse(nonces.consume(nonce));
    }

    @Test
    void unknownNonceIsRefused() {
        assertFalse(nonces.consume("never-issued"));
    }

    @Test
    void noncesBeyondTheCapAreRateLimitedUntilOldOnesExpire() {
        for (int i = 0; i < CAP; i++) {
            nonces.issue();
        }
        MatrixException refused = assertThrows(MatrixException.class, nonces::issue);
        assertEquals(429, refused.status());
        assertEquals("M_LIMIT_EXCEEDED", refused.errcode().name());

        clock.advance(RegistrationNonces.LIFETIME);
        String fresh = nonces.issue();
        assertTrue(nonces.consume(fresh), "expired nonces make room");
    }

    @Test
    void aConsumedNonceMakesRoomUnderTheCap() {
        String first = nonces.issue();
        for (int i = 1; i < CAP; i++) {
            nonces.issue();
        }
        assertTrue(nonces.consume(first));
        clock.advance(Duration.ofSeconds(1));
        nonces.issue();
    }
}
