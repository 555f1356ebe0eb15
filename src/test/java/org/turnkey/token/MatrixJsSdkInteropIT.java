package org.turnkey.token;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.Mailbox;
import org.turnkey.support.NodeScripts;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interop with a real client library: {@code src/test/js/interop.mjs} drives this server with
 * matrix-js-sdk (pinned in {@code src/test/js/package-lock.json}) under Node. Access tokens live
 * two seconds, so the SDK client goes through several soft logouts and refreshes.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MatrixJsSdkInteropIT {

    /** GreenMail: the forgot-password scenario reads its email through {@link Mailbox#serve()}. */
    static Mailbox mailbox;

    @Deployment(testable = false)
    static WebArchive deployment() {
        mailbox = new Mailbox();
        return Deployments.war("jssdk", Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.access-token.lifetime", "PT2S",
                "turnkey.mail.enabled", "true",
                "turnkey.mail.host", "127.0.0.1",
                "turnkey.mail.port", Integer.toString(mailbox.port()),
                "turnkey.mail.security", "none",
                "turnkey.mail.from", "noreply@localhost",
                "turnkey.mail.retry-interval", "PT1S"));
    }

    @AfterAll
    static void stopMailbox() {
        if (mailbox != null) {
            mailbox.close();
        }
    }

    @ArquillianResource
    URL base;

    /**
     * Also the forgotten password by email (issue 23; spec "Adding Account Administrative Contact
     * Information", {@code password_management.yaml}): the SDK's requestAdd3pidEmailToken and
     * addThreePidOnly, then requestPasswordEmailToken and setPassword with m.login.email.identity,
     * the code from the email submitted to {@code submit_url}, and a login by email address.
     */
    @Test
    void matrixJsSdkStaysLoggedInAcrossExpiriesByRefreshingAndIsRefusedAfterLogout() throws Exception {
        NodeScripts.install();
        NodeScripts.Result interop = NodeScripts.run(List.of("node", "interop.mjs", base.toString()),
                Map.of("TURNKEY_MAIL_URL", mailbox.serve()), 150);
        assertEquals(0, interop.exit(), "interop.mjs failed: " + interop.lastLine());
        assertTrue(interop.lastLine().startsWith("interop: ok "), "unexpected summary: " + interop.lastLine());
        assertTrue(interop.lastLine().contains("; forgot password by email ok"), "no email scenario: " + interop.lastLine());
    }
}
