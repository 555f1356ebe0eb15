package org.turnkey.oauth;

import org.junit.jupiter.api.Test;
import org.turnkey.api.OAuthException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "Scope": the API token plus exactly one device token, stable or MSC2967 spelling. */
class ScopeTest {

    @Test
    void stableScopeAllocatesItsDevice() {
        Scope scope = Scope.parse("urn:matrix:client:api:* urn:matrix:client:device:AAABBBCCCD");
        assertEquals("AAABBBCCCD", scope.deviceId());
        assertFalse(scope.unstable());
        assertEquals("urn:matrix:client:api:* urn:matrix:client:device:AAABBBCCCD", scope.value());
    }

    @Test
    void unstableScopeAsElementXSendsItIsAnsweredInItsSpelling() {
        Scope scope = Scope.parse("urn:matrix:org.matrix.msc2967.client:device:x.y-Z_~1 "
                + "urn:matrix:org.matrix.msc2967.client:api:*");
        assertEquals("x.y-Z_~1", scope.deviceId());
        assertTrue(scope.unstable());
        assertEquals("urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:org.matrix.msc2967.client:device:x.y-Z_~1",
                scope.value());
    }

    @Test
    void refusedScopesAreInvalidScope() {
        String[] refused = {
                null, "", "   ",
                "urn:matrix:client:api:*",
                "urn:matrix:client:device:ABC",
                "urn:matrix:client:api:* urn:matrix:client:device:A urn:matrix:client:device:B",
                "urn:matrix:client:api:* urn:matrix:client:device:",
                "urn:matrix:client:api:* urn:matrix:client:device:a/b",
                "urn:matrix:client:api:* urn:matrix:org.matrix.msc2967.client:device:ABC",
                "urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:client:device:ABC",
                "urn:matrix:client:api:* urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:client:device:ABC",
                "urn:matrix:client:api:* urn:matrix:client:device:ABC openid",
                "urn:matrix:client:api:* urn:matrix:client:device:" + "A".repeat(256),
                "urn:matrix:client:api:*\turn:matrix:client:device:ABC",
        };
        for (String scope : refused) {
            OAuthException e = assertThrows(OAuthException.class, () -> Scope.parse(scope), String.valueOf(scope));
            assertEquals("invalid_scope", e.error());
            assertEquals(400, e.status());
        }
    }

    @Test
    void extraSpacesBetweenTokensAreAccepted() {
        assertEquals("D1", Scope.parse("  urn:matrix:client:api:*   urn:matrix:client:device:D1 ").deviceId());
    }

    /** RFC 8628 section 3.1 (scope optional) and spec "Device ID allocation": a device is allocated when none is named. */
    @Test
    void deviceGrantScopeAllocatesADeviceWhenNoneIsNamed() {
        assertEquals("urn:matrix:client:api:* urn:matrix:client:device:NEW",
                Scope.parseOrAllocate(null, () -> "NEW").value());
        assertEquals("urn:matrix:client:api:* urn:matrix:client:device:NEW",
                Scope.parseOrAllocate("urn:matrix:client:api:*", () -> "NEW").value());
        assertEquals("urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:org.matrix.msc2967.client:device:NEW",
                Scope.parseOrAllocate("urn:matrix:org.matrix.msc2967.client:api:*", () -> "NEW").value());
        assertEquals("OWN", Scope.parseOrAllocate("urn:matrix:client:api:* urn:matrix:client:device:OWN",
                () -> "NEW").deviceId());
        assertThrows(OAuthException.class, () -> Scope.parseOrAllocate("openid", () -> "NEW"));
    }
}
