package org.turnkey.support;

import org.turnkey.support.MatrixClient.Reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two answers of spec "Soft logout" that tests check everywhere. */
public final class SessionAsserts {

    private SessionAsserts() {
    }

    /** 401 {@code M_UNKNOWN_TOKEN} with {@code soft_logout: true}: the device still exists. */
    public static void assertSoftLogout(Reply reply) {
        assertEquals(401, reply.status(), reply.toString());
        assertEquals("M_UNKNOWN_TOKEN", reply.errcode(), "never 403: " + reply);
        assertTrue(reply.softLogout(), "device still exists, so soft_logout: " + reply);
    }

    /** 401 {@code M_UNKNOWN_TOKEN} without {@code soft_logout}: the session is really gone. */
    public static void assertHardLogout(Reply reply) {
        assertEquals(401, reply.status(), reply.toString());
        assertEquals("M_UNKNOWN_TOKEN", reply.errcode(), reply.toString());
        assertFalse(reply.softLogout(), "session gone, so no soft_logout: " + reply);
    }
}
