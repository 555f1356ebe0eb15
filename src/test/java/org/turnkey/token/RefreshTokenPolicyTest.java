package org.turnkey.token;

import org.junit.jupiter.api.Test;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.support.MapConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.token.RefreshTokenPolicy.Outcome.*;

/** Spec "Refreshing access tokens", driven by a fixed clock. */
class RefreshTokenPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final AuthSession session = new AuthSession(1, "@a:localhost", "DEV", null, null, 0);

    private static RefreshTokenPolicy policy(Instant now, String... settings) {
        return new RefreshTokenPolicy(new TurnkeyConfig(MapConfig.of(settings)), Clock.fixed(now, ZoneOffset.UTC));
    }

    private TokenPair pair(long id, Long parent, boolean used, Long accessExpires, Long refreshExpires) {
        return new TokenPair(id, session, (int) id, "a" + id, "r" + id, "salt", parent, used, 0, accessExpires, refreshExpires);
    }

    @Test
    void firstRefreshIssuesSuccessor() {
        assertEquals(ISSUE_SUCCESSOR, policy(NOW).decide(pair(1, null, true, null, null), null, NOW));
    }

    @Test
    void refreshRepeatedBeforeSuccessorIsUsedReturnsTheSameSuccessor() {
        TokenPair successor = pair(2, 1L, false, NOW.plusSeconds(60).toEpochMilli(), null);
        assertEquals(REPEAT_SUCCESSOR, policy(NOW).decide(pair(1, null, true, null, null), successor, NOW));
    }

    @Test
    void oldRefreshTokenIsAReplayOnceItWasRotated() {
        TokenPair old = pair(1, null, true, null, null);
        old.revoke(TokenPair.Revocation.ROTATED, null);
        assertEquals(REPLAY, policy(NOW).decide(old, pair(2, 1L, true, null, null), NOW));
    }

    private TokenPair rotatedAt(Instant confirmed) {
        TokenPair old = pair(1, null, true, null, null);
        old.revoke(TokenPair.Revocation.ROTATED, confirmed.toEpochMilli());
        return old;
    }

    @Test
    void rotatedTokenArrivingBeforeTheRotationWasConfirmedIsADuplicateNotAReplay() {
        // It waited for the device's lock behind the very use that rotated it.
        TokenPair old = rotatedAt(NOW);
        assertEquals(DUPLICATE, policy(NOW.plusSeconds(30)).decide(old, pair(2, 1L, true, null, null),
                NOW.minusMillis(200)));
    }

    @Test
    void rotatedTokenArrivingWithinTheAllowanceAfterConfirmationIsADuplicate() {
        TokenPair old = rotatedAt(NOW);
        RefreshTokenPolicy policy = policy(NOW, "turnkey.refresh-token.duplicate-allowance", "PT2S");
        assertEquals(DUPLICATE, policy.decide(old, null, NOW));
        assertEquals(DUPLICATE, policy.decide(old, null, NOW.plusMillis(1999)));
    }

    @Test
    void rotatedTokenArrivingAtOrAfterTheAllowanceIsAReplay() {
        TokenPair old = rotatedAt(NOW);
        RefreshTokenPolicy policy = policy(NOW, "turnkey.refresh-token.duplicate-allowance", "PT2S");
        assertEquals(REPLAY, policy.decide(old, null, NOW.plusMillis(2000)));
        assertEquals(REPLAY, policy.decide(old, null, NOW.plusSeconds(3600)));
    }

    @Test
    void defaultAllowanceIsFiveSeconds() {
        TokenPair old = rotatedAt(NOW);
        assertEquals(DUPLICATE, policy(NOW).decide(old, null, NOW.plusMillis(4999)));
        assertEquals(REPLAY, policy(NOW).decide(old, null, NOW.plusMillis(5000)));
    }

    @Test
    void zeroAllowanceLeavesOnlyRequestsThatArrivedBeforeTheConfirmation() {
        TokenPair old = rotatedAt(NOW);
        RefreshTokenPolicy policy = policy(NOW, "turnkey.refresh-token.duplicate-allowance", "PT0S");
        assertEquals(DUPLICATE, policy.decide(old, null, NOW.minusMillis(1)));
        assertEquals(REPLAY, policy.decide(old, null, NOW));
    }

    @Test
    void tokenRevokedByReloginIsRevokedEvenWithinTheAllowance() {
        TokenPair old = pair(1, null, true, null, null);
        old.revoke(TokenPair.Revocation.RELOGIN, NOW.toEpochMilli());
        assertEquals(REVOKED, policy(NOW).decide(old, null, NOW.plusMillis(1)));
    }

    @Test
    void successorUsedWhileParentLiveIsTreatedAsReplay() {
        assertEquals(REPLAY, policy(NOW).decide(pair(1, null, true, null, null), pair(2, 1L, true, null, null), NOW));
    }

    @Test
    void tokenRevokedByReloginIsRevokedNotReplay() {
        TokenPair old = pair(1, null, true, null, null);
        old.revoke(TokenPair.Revocation.RELOGIN, NOW.toEpochMilli());
        assertEquals(REVOKED, policy(NOW).decide(old, null, NOW));
    }

    @Test
    void refreshTokenExpiresAtItsLifetime() {
        long expiry = NOW.toEpochMilli();
        assertEquals(EXPIRED, policy(NOW).decide(pair(1, null, true, null, expiry), null, NOW));
        assertEquals(ISSUE_SUCCESSOR, policy(NOW.minusMillis(1)).decide(pair(1, null, true, null, expiry), null, NOW));
    }

    @Test
    void unusedSuccessorWhoseAccessTokenExpiredIsReplaced() {
        TokenPair successor = pair(2, 1L, false, NOW.toEpochMilli(), null);
        assertEquals(REPLACE_STALE_SUCCESSOR, policy(NOW).decide(pair(1, null, true, null, null), successor, NOW));
    }

    @Test
    void firstUseOfARefreshedPairConfirmsRotationOnlyOnce() {
        RefreshTokenPolicy policy = policy(NOW);
        TokenPair successor = pair(2, 1L, false, null, null);
        assertTrue(policy.confirmsRotation(successor));
        successor.markUsed();
        assertFalse(policy.confirmsRotation(successor));
        assertFalse(policy.confirmsRotation(pair(3, null, false, null, null)));
    }

    @Test
    void refreshableAccessTokensExpireAfterTheConfiguredLifetimeDefaultFiveMinutes() {
        assertEquals(NOW.plus(Duration.ofMinutes(5)).toEpochMilli(), policy(NOW).accessExpiry(true));
        assertEquals(NOW.plusSeconds(3).toEpochMilli(),
                policy(NOW, "turnkey.access-token.lifetime", "PT3S").accessExpiry(true));
    }

    @Test
    void nonRefreshableAccessTokensNeverExpireUnlessConfigured() {
        assertNull(policy(NOW).accessExpiry(false));
        assertEquals(NOW.plusSeconds(3600).toEpochMilli(),
                policy(NOW, "turnkey.nonrefreshable-access-token.lifetime", "PT1H").accessExpiry(false));
    }

    @Test
    void refreshTokensNeverExpireUnlessConfigured() {
        assertNull(policy(NOW).refreshExpiry());
        assertEquals(NOW.plus(Duration.ofDays(30)).toEpochMilli(),
                policy(NOW, "turnkey.refresh-token.lifetime", "P30D").refreshExpiry());
    }

    @Test
    void expiresInMsCountsDownWithTheClock() {
        TokenPair pair = pair(1, null, true, NOW.plusSeconds(10).toEpochMilli(), null);
        assertEquals(10_000L, policy(NOW).expiresInMs(pair));
        assertEquals(4_000L, policy(NOW.plusSeconds(6)).expiresInMs(pair));
        assertEquals(0L, policy(NOW.plusSeconds(60)).expiresInMs(pair));
    }

    @Test
    void reusePolicyDefaultsToRevokingTheDevice() {
        assertEquals(TurnkeyConfig.ReusePolicy.REVOKE_DEVICE, policy(NOW).reusePolicy());
        assertEquals(TurnkeyConfig.ReusePolicy.REJECT,
                policy(NOW, "turnkey.refresh-token.reuse-policy", "reject").reusePolicy());
    }
}
