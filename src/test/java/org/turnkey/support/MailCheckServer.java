package org.turnkey.support;

import java.util.concurrent.CountDownLatch;

/**
 * The SMTP server of {@code server-config/check-payara-server.sh} and {@code check-wildfly.sh}:
 * GreenMail on a loopback port, the real server's mail session sends to it, and the smoke test
 * reads what arrived over {@link Mailbox#serve(int) HTTP} and follows the link as a user would.
 * <pre>
 *   CHECK_SMTP_PASSWORD=... java -cp target/test-classes:CLASSPATH org.turnkey.support.MailCheckServer SMTP_PORT HTTP_PORT [USER]
 * </pre>
 * With a user, GreenMail knows that SMTP login with the password from {@code CHECK_SMTP_PASSWORD}
 * (an environment variable, not an argument: not in {@code ps}), refuses a login with any other
 * password, and refuses mail sent without a login: a delivered message proves the server's mail
 * session logged in with the password the scripts stored as a secret. Prints one line when both ports listen, and runs
 * until it is killed.
 */
public final class MailCheckServer {

    private MailCheckServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MailCheckServer SMTP_PORT HTTP_PORT [USER]  (password: CHECK_SMTP_PASSWORD)");
            System.exit(2);
        }
        int smtpPort = Integer.parseInt(args[0]);
        int httpPort = Integer.parseInt(args[1]);
        String user = args.length > 2 ? args[2] : null;
        String password = System.getenv("CHECK_SMTP_PASSWORD");
        if (user != null && (password == null || password.isEmpty())) {
            System.err.println("MailCheckServer: a user needs CHECK_SMTP_PASSWORD");
            System.exit(2);
        }
        Mailbox mailbox = new Mailbox(smtpPort, user, password);
        String url = mailbox.serve(httpPort);
        Runtime.getRuntime().addShutdownHook(new Thread(mailbox::close));
        System.out.println("GreenMail SMTP on 127.0.0.1:" + smtpPort + (user == null ? "" : " (login " + user + ")")
                + ", messages at " + url);
        new CountDownLatch(1).await();
    }
}
