package org.turnkey.email;

import jakarta.mail.Session;
import org.junit.jupiter.api.Test;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.support.MapConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The Jakarta Mail session Turnkey builds from turnkey.mail.* (README's configuration table), and
 * where turnkey.mail.session is looked up: one name serves Payara and WildFly (docs/email.md).
 */
class SmtpTransportTest {

    private static Session session(String... keysAndValues) {
        return SmtpTransport.build(new MailSettings(new TurnkeyConfig(MapConfig.of(keysAndValues))));
    }

    @Test
    void starttlsIsRequiredNotMerelyTriedAndTheServerCertificateMustNameTheHost() {
        Session s = session("turnkey.mail.host", "smtp.example.org", "turnkey.mail.port", "587");
        assertEquals("smtp.example.org", s.getProperty("mail.smtp.host"));
        assertEquals("587", s.getProperty("mail.smtp.port"));
        assertEquals("true", s.getProperty("mail.smtp.starttls.enable"));
        assertEquals("true", s.getProperty("mail.smtp.starttls.required"));
        assertEquals("true", s.getProperty("mail.smtp.ssl.checkserveridentity"));
        assertNull(s.getProperty("mail.smtp.ssl.enable"));
        assertNull(s.getProperty("mail.smtp.ssl.trust"), "no certificate is trusted without checking");
    }

    @Test
    void tlsSpeaksTlsFromTheFirstByteAndChecksTheHost() {
        Session s = session("turnkey.mail.security", "tls", "turnkey.mail.port", "465");
        assertEquals("true", s.getProperty("mail.smtp.ssl.enable"));
        assertEquals("true", s.getProperty("mail.smtp.ssl.checkserveridentity"));
        assertNull(s.getProperty("mail.smtp.starttls.enable"));
    }

    @Test
    void noneSendsInTheClearAndLogsInOnlyWithAUser() {
        Session clear = session("turnkey.mail.security", "none");
        assertNull(clear.getProperty("mail.smtp.ssl.enable"));
        assertNull(clear.getProperty("mail.smtp.starttls.enable"));
        assertNull(clear.getProperty("mail.smtp.auth"));
        Session login = session("turnkey.mail.security", "none", "turnkey.mail.user", "turnkey",
                "turnkey.mail.password", "secret");
        assertEquals("true", login.getProperty("mail.smtp.auth"));
    }

    @Test
    void everySocketOperationHasTheConfiguredTimeout() {
        Session s = session("turnkey.mail.timeout", "PT7S");
        assertEquals("7000", s.getProperty("mail.smtp.connectiontimeout"));
        assertEquals("7000", s.getProperty("mail.smtp.timeout"));
        assertEquals("7000", s.getProperty("mail.smtp.writetimeout"));
    }

    @Test
    void aRelativeNameIsTriedAsGivenThenWhereWildFlyBindsMailSessions() {
        assertEquals(List.of("mail/turnkey", "java:jboss/mail/turnkey", "java:/mail/turnkey"),
                SmtpTransport.jndiNames("mail/turnkey"));
        assertEquals(List.of("/mail/turnkey", "java:jboss/mail/turnkey", "java:/mail/turnkey"),
                SmtpTransport.jndiNames("/mail/turnkey"));
    }

    @Test
    void aFullJavaNameIsTriedOnlyAsGiven() {
        assertEquals(List.of("java:jboss/mail/turnkey"), SmtpTransport.jndiNames("java:jboss/mail/turnkey"));
        assertEquals(List.of("java:/mail/Default"), SmtpTransport.jndiNames("java:/mail/Default"));
    }
}
