package org.turnkey.email;

import org.junit.jupiter.api.Test;
import org.turnkey.api.MatrixException;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code next_link} (identity {@code request_email_validation}): only absolute http(s) URLs, as Synapse. */
class NextLinksTest {

    @Test
    void absoluteHttpAndHttpsLinksAreKept() {
        assertEquals(Optional.of("https://app.example.org/done?x=1#y"),
                NextLinks.check(Optional.of("https://app.example.org/done?x=1#y")));
        assertEquals(Optional.of("HTTP://127.0.0.1:8080/"), NextLinks.check(Optional.of("HTTP://127.0.0.1:8080/")));
        assertEquals("app.example.org", NextLinks.host("https://app.example.org/done"));
        assertEquals(Optional.of("https://app.example.org/%C3%A9t%C3%A9"), NextLinks.check(Optional.of("https://app.example.org/été")),
                "sent in a Location header: ASCII only");
    }

    @Test
    void noLinkIsNoLink() {
        assertEquals(Optional.empty(), NextLinks.check(Optional.empty()));
    }

    @Test
    void otherSchemesRelativeReferencesAndHostlessUrlsAreInvalidParams() {
        for (String link : new String[] {"javascript:alert(1)", "ftp://files.example.org/", "/relative/path",
                "//evil.example/x", "relative", "data:text/html,hi", "https:///nohost", "http:opaque",
                "https://exa mple.org/", "mailto:a@example.org", ""}) {
            MatrixException e = assertThrows(MatrixException.class, () -> NextLinks.check(Optional.of(link)), link);
            assertEquals(400, e.status(), link);
            assertEquals("M_INVALID_PARAM", e.errcode().name(), link);
        }
    }

    @Test
    void overlongLinksAreInvalidParams() {
        String link = "https://example.org/" + "a".repeat(NextLinks.MAX_LENGTH);
        assertEquals("M_INVALID_PARAM", assertThrows(MatrixException.class,
                () -> NextLinks.check(Optional.of(link))).errcode().name());
    }
}
