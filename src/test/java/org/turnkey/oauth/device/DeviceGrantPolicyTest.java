package org.turnkey.oauth.device;

import org.junit.jupiter.api.Test;
import org.turnkey.oauth.device.DeviceGrantPolicy.Poll;
import org.turnkey.oauth.device.DeviceGrantPolicy.Undecidable;
import org.turnkey.support.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8628's rules without a container: user codes (section 6.1), polling (section 3.5), expiry (section 3.2). */
class DeviceGrantPolicyTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final DeviceGrantPolicy policy = new DeviceGrantPolicy(clock, Duration.ofMinutes(10), Duration.ofSeconds(5));

    private DeviceAuthorization pending() {
        return policy.create("device-hash", "user-hash", "client", "urn:matrix:client:api:* urn:matrix:client:device:D1");
    }

    /** Section 6.1: 8 characters of 20 consonants, no digit, no vowel; shown as XXXX-XXXX. */
    @Test
    void userCodesUseOnlyTheUnambiguousAlphabetAndAreShownInTwoHalves() {
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String code = DeviceGrantPolicy.newUserCode();
            assertEquals(8, code.length());
            for (char c : code.toCharArray()) {
                assertTrue(DeviceGrantPolicy.ALPHABET.indexOf(c) >= 0, code);
                seen.add(c);
            }
        }
        assertEquals(20, seen.size(), "every letter of the alphabet turns up in 4000 draws");
        // No digit and no vowel: nothing to mistake for another (0/O, 1/I, 5/S, 8/B), no words.
        for (char excluded : "0123456789AEIOUY".toCharArray()) {
            assertFalse(DeviceGrantPolicy.ALPHABET.indexOf(excluded) >= 0, "no " + excluded);
        }
        assertEquals("BCDF-GHJK", DeviceGrantPolicy.display("BCDFGHJK"));
    }

    /** Section 6.1: case-insensitive, punctuation and spaces ignored; anything else is not a code. */
    @Test
    void typedCodesAreNormalisedIgnoringCaseDashesAndSpaces() {
        assertEquals(Optional.of("BCDFGHJK"), DeviceGrantPolicy.normalize("bcdf-ghjk"));
        assertEquals(Optional.of("BCDFGHJK"), DeviceGrantPolicy.normalize(" BCDF GHJK "));
        assertEquals(Optional.of("BCDFGHJK"), DeviceGrantPolicy.normalize("BCDFGHJK"));
        assertEquals(Optional.empty(), DeviceGrantPolicy.normalize("BCDF-GHJ"));
        assertEquals(Optional.empty(), DeviceGrantPolicy.normalize("BCDF-GHJKL"));
        assertEquals(Optional.empty(), DeviceGrantPolicy.normalize("BCDF-GHJA"), "a vowel is not in the alphabet");
        assertEquals(Optional.empty(), DeviceGrantPolicy.normalize("BCDF-GHJ0"));
        assertEquals(Optional.empty(), DeviceGrantPolicy.normalize(""));
        assertEquals(Optional.empty(), DeviceGrantPolicy.normalize(null));
    }

    /** Section 3.5: pending at the interval; faster is slow_down, and the interval grows by 5 s for good. */
    @Test
    void pollingFasterThanTheIntervalIsSlowDownAndAddsFiveSeconds() {
        DeviceAuthorization row = pending();
        assertEquals(5, row.pollInterval());
        assertEquals(Poll.PENDING, policy.poll(row, "client"), "the first poll is never too early");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(Poll.PENDING, policy.poll(row, "client"));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(Poll.SLOW_DOWN, policy.poll(row, "client"));
        assertEquals(10, row.pollInterval());
        clock.advance(Duration.ofSeconds(6));
        assertEquals(Poll.SLOW_DOWN, policy.poll(row, "client"), "6 s is too fast once the interval is 10 s");
        assertEquals(15, row.pollInterval());
        clock.advance(Duration.ofSeconds(15).minusMillis(DeviceGrantPolicy.GRACE_MS));
        assertEquals(Poll.PENDING, policy.poll(row, "client"), "on time within the grace");
        assertEquals(15, row.pollInterval());
    }

    /** Section 3.2 expires_in; section 3.5 expired_token, even for an approved request not yet collected. */
    @Test
    void requestsExpireAfterTheLifetimeEvenIfApproved() {
        DeviceAuthorization row = pending();
        assertEquals(600, policy.expiresIn());
        policy.decide(row, true, "@u:example.org");
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertFalse(policy.expired(row));
        clock.advance(Duration.ofMillis(1));
        assertTrue(policy.expired(row));
        assertEquals(Poll.EXPIRED, policy.poll(row, "client"));
        assertEquals(Optional.of(Undecidable.EXPIRED), policy.undecidable(pendingAt(row)));
    }

    private DeviceAuthorization pendingAt(DeviceAuthorization expired) {
        return new DeviceAuthorization("h2", "u2", "client", expired.scope(), expired.createdTs(), expired.expiresTs(), 5);
    }

    /** Section 3.5: access_denied after a denial; approved once; a second poll after redemption is refused. */
    @Test
    void denialIsFinalAndAnApprovedCodeIsRedeemedOnce() {
        DeviceAuthorization denied = pending();
        policy.decide(denied, false, "@u:example.org");
        assertEquals(Poll.DENIED, policy.poll(denied, "client"));
        assertEquals(Optional.of(Undecidable.ALREADY_DECIDED), policy.undecidable(denied), "no second decision");

        DeviceAuthorization approved = pending();
        assertEquals(Optional.empty(), policy.undecidable(approved));
        policy.decide(approved, true, "@u:example.org");
        assertEquals("@u:example.org", approved.userId());
        assertEquals(Poll.APPROVED, policy.poll(approved, "client"));
        policy.redeemed(approved, 42);
        assertEquals(Poll.USED, policy.poll(approved, "client"));
        assertEquals(Poll.OTHER_CLIENT, policy.poll(pending(), "another-client"));
        assertEquals(Optional.of(Undecidable.UNKNOWN), policy.undecidable(null));
    }
}
