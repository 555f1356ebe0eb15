package org.turnkey.oauth.web;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the pages: CSP form-action sources, client link filtering, session expiry. */
class PagesTest {

    /**
     * CSP Level 3 form-action: Chromium checks the redirect after a form POST, so the client's
     * redirect URI must be expressible as a source: an origin, or a private-use scheme (RFC 8252 section 7.1).
     */
    @Test
    void formActionSourceOfRedirectUri() {
        assertEquals("https://app.example.org", Pages.origin("https://app.example.org/cb?x=1"));
        assertEquals("http://127.0.0.1:43123", Pages.origin("http://127.0.0.1:43123/"));
        assertEquals("com.example.app:", Pages.origin("com.example.app:/callback"));
        assertNull(Pages.origin("not a uri"));
    }

    /** Client-supplied links are hostile: only http(s) is ever linked (no javascript: or data:). */
    @Test
    void onlyHttpLinksAreShown() {
        assertEquals("https://app.example.org/tos", ConsentServlet.link(Optional.of("https://app.example.org/tos")));
        assertNull(ConsentServlet.link(Optional.of("javascript:alert(1)")));
        assertNull(ConsentServlet.link(Optional.of("data:text/html,hi")));
        assertEquals(Optional.of("cdn.example.net"), ConsentServlet.host("https://CDN.example.net/logo.png"));
    }

    /** A browser session lasts until its expiry instant, not a millisecond longer (fixed clock). */
    @Test
    void browserSessionExpiry() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-03T07:00:00Z"), ZoneOffset.UTC);
        long now = clock.millis();
        assertTrue(BrowserSessions.live(now + 1, now));
        assertFalse(BrowserSessions.live(now, now));
    }
}
