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
        try {
            return (Session) new InitialContext().lookup(name);
        } catch (NamingException | ClassCastException e) {
            throw new IllegalStateException("turnkey.mail.session: no mail session named " + name, e);
        }
    }

    private static Session build(MailSettings settings) {
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
