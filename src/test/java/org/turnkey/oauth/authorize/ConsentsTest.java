package org.turnkey.oauth.authorize;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How long a consent counts (turnkey.oauth.consent-memory, default P90D), against a fixed clock. */
class ConsentsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T07:00:00Z"), ZoneOffset.UTC);
    private static final Duration MEMORY = Duration.ofDays(90);

    /** A consent given within the memory counts; one exactly as old as the memory does not. */
    @Test
    void consentCountsForTheConfiguredMemoryOnly() {
        long now = CLOCK.millis();
        assertTrue(Consents.current(now, now, MEMORY));
        assertTrue(Consents.current(now - MEMORY.toMillis() + 1, now, MEMORY));
        assertFalse(Consents.current(now - MEMORY.toMillis(), now, MEMORY));
    }

    /** A consent dated in the future (a clock stepped back) is not trusted. */
    @Test
    void consentFromTheFutureDoesNotCount() {
        assertFalse(Consents.current(CLOCK.millis() + 1, CLOCK.millis(), MEMORY));
    }
}
