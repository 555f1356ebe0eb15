package org.turnkey.token;

import org.junit.jupiter.api.Test;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.MatrixException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "Soft logout": soft_logout true exactly while the device still exists. */
class SoftLogoutPolicyTest {

    private final SoftLogoutPolicy policy = new SoftLogoutPolicy();

    private static boolean soft(MatrixException e) {
        assertEquals(401, e.status());
        assertEquals(ErrorCode.M_UNKNOWN_TOKEN, e.errcode());
        return e.body().getBoolean("soft_logout", false);
    }

    @Test
    void tokensThatNeverExistedOrWhoseDeviceIsGoneAreHardLogouts() {
        assertFalse(soft(policy.unknownAccessToken()));
        assertFalse(soft(policy.unknownRefreshToken()));
        assertFalse(policy.unknownAccessToken().body().containsKey("soft_logout"));
    }

    @Test
    void expiredTokensAreSoftLogouts() {
        assertTrue(soft(policy.expiredAccessToken()));
        assertTrue(soft(policy.expiredRefreshToken()));
    }

    @Test
    void everyRevocationThatKeepsTheDeviceIsASoftLogout() {
        for (TokenPair.Revocation reason : TokenPair.Revocation.values()) {
            assertTrue(soft(policy.revoked(reason)), reason.name());
        }
    }
}
