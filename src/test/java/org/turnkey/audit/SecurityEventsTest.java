package org.turnkey.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Security log lines: user input in them can neither forge a line nor flood the log. */
class SecurityEventsTest {

    private final Logger log = Logger.getLogger("org.turnkey.security");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final SecurityEvents events = new SecurityEvents();

    @BeforeEach
    void captureLog() throws ReflectiveOperationException {
        Field metrics = SecurityEvents.class.getDeclaredField("metrics");
        metrics.setAccessible(true);
        metrics.set(events, Metrics.NONE);
        log.addHandler(capture);
    }

    @AfterEach
    void release() {
        log.removeHandler(capture);
    }

    @Test
    void userNameWithALineBreakCannotForgeASecondLogLine() {
        events.loginFailed("eve\nevent=login_succeeded user=@admin:localhost", "unknown_user");
        assertEquals(1, lines.size());
        String line = lines.get(0);
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        assertEquals("event=login_failed user=eve_event=login_succeeded_user=@admin:localhost reason=unknown_user", line);
    }

    @Test
    void controlCharactersAndWhitespaceInUserInputBecomeUnderscores() {
        assertEquals("a_b_c_d_e", SecurityEvents.sanitize("a\rb\tc d\u0000e"));
    }

    @Test
    void longUserInputIsCutToEightyCharacters() {
        String logged = SecurityEvents.sanitize("x".repeat(10_000));
        assertEquals("x".repeat(80) + "...", logged);
    }

    @Test
    void absentUserInputIsLoggedAsADash() {
        events.sharedSecretRejected(null, "bad_mac");
        assertTrue(lines.get(0).contains("user=-"), lines.get(0));
    }
}
