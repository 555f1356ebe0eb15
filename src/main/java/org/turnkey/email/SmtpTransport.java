package org.turnkey.email;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Jakarta Mail: the server's mail session when {@code turnkey.mail.session} names one (Payara's
 * JavaMail resource, WildFly's mail subsystem), otherwise a session built from the
 * {@code turnkey.mail.*} SMTP keys. The only class that touches {@code jakarta.mail}, and not a
 * CDI bean, so a server without Jakarta Mail deploys Turnkey as long as mail stays off.
 */
final class SmtpTransport {

    private final Session session;
    private final String from;

    SmtpTransport(MailSettings settings) {
        this.from = settings.from();
        this.session = settings.sessionJndiName().map(SmtpTransport::lookup).orElseGet(() -> build(settings));
    }

    private static Session lookup(String name) {
        NamingException notFound = null;
        for (String candidate : jndiNames(name)) {
            try {
                Object found = new InitialContext().lookup(candidate);
                if (found instanceof Session session) {
                    return session;
                }
                throw new IllegalStateException("turnkey.mail.session: " + candidate + " is a "
                        + found.getClass().getName() + ", not a Jakarta Mail session");
            } catch (NamingException e) {
                notFound = notFound == null ? e : notFound;
            }
        }
        throw new IllegalStateException("turnkey.mail.session: no mail session named " + String.join(" or ", jndiNames(name)),
                notFound);
    }

    /**
     * The JNDI names tried for {@code turnkey.mail.session}, in order: the name as given (Payara's
     * {@code mail/turnkey}, or any full {@code java:} name), then, for a name without a
     * {@code java:} scheme, where WildFly binds mail sessions: {@code java:jboss/NAME} (where
     * {@code server-config/wildfly.sh} puts it) and {@code java:/NAME}. So one settings file names
     * the session on both servers.
     */
    static List<String> jndiNames(String name) {
        if (name.startsWith("java:")) {
            return List.of(name);
        }
        String relative = name.startsWith("/") ? name.substring(1) : name;
        return List.of(name, "java:jboss/" + relative, "java:/" + relative);
    }

    static Session build(MailSettings settings) {
        Properties p = new Properties();
        String timeout = Long.toString(settings.timeout().toMillis());
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", Integer.toString(settings.port()));
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        switch (settings.security()) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case TLS -> {
                // Implicit TLS (port 465): SMTP over a TLS connection from the first byte.
                p.put("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case NONE -> { }
        }
        Authenticator authenticator = null;
        if (settings.user().isPresent()) {
            String user = settings.user().get();
            String password = settings.password().orElse("");
            p.put("mail.smtp.auth", "true");
            authenticator = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        return Session.getInstance(p, authenticator);
    }

    /** Sends one plain-text message; throws on any failure (the outbox retries). */
    void send(String to, String subject, String text) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from, true));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        message.setSubject(subject, StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        message.setText(text, StandardCharsets.UTF_8.name());
        Transport.send(message);
    }
}
