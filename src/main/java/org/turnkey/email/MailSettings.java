package org.turnkey.email;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code turnkey.mail.*} keys (how mail leaves) and {@code turnkey.email.*} keys (what users
 * may do by email), read once and validated at startup. Mail is off unless
 * {@code turnkey.mail.enabled=true}; then {@code turnkey.mail.from} is required, and either
 * {@code turnkey.mail.session} names the server's mail session (Payara's JavaMail resource,
 * WildFly's mail subsystem) or the SMTP keys describe one.
 */
@ApplicationScoped
public class MailSettings {

    /** How the SMTP connection is protected. */
    public enum Security { NONE, STARTTLS, TLS }

    @Inject
    TurnkeyConfig config;

    private boolean enabled;
    private Optional<String> sessionJndiName;
    private String host;
    private int port;
    private Security security;
    private Optional<String> user;
    private Optional<String> password;
    private String from;
    private Duration timeout;
    private Duration retryInterval;
    private Duration tokenLifetime;
    private boolean revealUnknownAddresses;
    private boolean registrationRequiresEmail;

    protected MailSettings() {
    }

    /** For unit tests. */
    public MailSettings(TurnkeyConfig config) {
        this.config = config;
        load();
    }

    @PostConstruct
    void load() {
        enabled = config.bool("turnkey.mail.enabled", false);
        sessionJndiName = config.raw("turnkey.mail.session");
        host = config.raw("turnkey.mail.host").orElse("localhost");
        port = (int) config.positive("turnkey.mail.port", 25);
        String securityValue = config.raw("turnkey.mail.security").orElse("starttls");
        try {
            security = Security.valueOf(securityValue.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid configuration turnkey.mail.security='" + securityValue
                    + "': expected none, starttls or tls");
        }
        user = config.raw("turnkey.mail.user");
        password = config.raw("turnkey.mail.password");
        from = config.raw("turnkey.mail.from").orElse(null);
        if (enabled && from == null) {
            throw new IllegalStateException("Invalid configuration: turnkey.mail.enabled=true needs turnkey.mail.from,"
                    + " the sender address, such as Matrix <noreply@example.org>");
        }
        if (from != null && !Emails.validSender(from)) {
            throw new IllegalStateException("Invalid configuration turnkey.mail.from='" + from
                    + "': expected an address such as noreply@example.org or Matrix <noreply@example.org>");
        }
        timeout = config.duration("turnkey.mail.timeout").orElse(Duration.ofSeconds(20));
        retryInterval = config.duration("turnkey.mail.retry-interval").orElse(Duration.ofMinutes(1));
        tokenLifetime = config.duration("turnkey.email.token-lifetime").orElse(Duration.ofHours(1));
        revealUnknownAddresses = config.bool("turnkey.email.password-reset.reveal-unknown-addresses", false);
        registrationRequiresEmail = config.bool("turnkey.registration.requires-email", false);
        if (registrationRequiresEmail && !enabled) {
            throw new IllegalStateException("Invalid configuration: turnkey.registration.requires-email=true needs"
                    + " turnkey.mail.enabled=true");
        }
    }

    public boolean enabled() { return enabled; }
    public Optional<String> sessionJndiName() { return sessionJndiName; }
    public String host() { return host; }
    public int port() { return port; }
    public Security security() { return security; }
    public Optional<String> user() { return user; }
    /** A secret: never logged, never in an error message. */
    public Optional<String> password() { return password; }
    public String from() { return from; }
    public Duration timeout() { return timeout; }
    public Duration retryInterval() { return retryInterval; }
    public Duration tokenLifetime() { return tokenLifetime; }
    public boolean revealUnknownAddresses() { return revealUnknownAddresses; }
    public boolean registrationRequiresEmail() { return registrationRequiresEmail; }
}
