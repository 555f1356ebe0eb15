package org.turnkey.support;

import org.turnkey.support.MatrixClient.Reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "Standard error response", as every IT checks it. */
public final class MatrixAsserts {

    private MatrixAsserts() {
    }

    /**
     * The status and errcode, with a human-readable {@code error}, as JSON, and with the CORS
     * headers every response carries (spec "Web Browser Clients").
     */
    public static void assertError(int status, String errcode, Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        assertEquals(errcode, reply.errcode(), reply.toString());
        assertNotNull(reply.json().getString("error", null), "every error has a message: " + reply);
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.header("Content-Type"));
        assertEquals("*", reply.header("Access-Control-Allow-Origin"), "CORS headers on errors too");
    }
}
