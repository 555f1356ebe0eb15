package org.turnkey.email;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where turnkey.mail.session is looked up: one name serves Payara and WildFly (docs/email.md). */
class SmtpTransportTest {

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
