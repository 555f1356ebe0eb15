package org.turnkey.oauth;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code turnkey.oauth.*} settings (README, "Configuration"). Token lifetimes are not here:
 * OAuth tokens follow {@code turnkey.access-token.lifetime} and
 * {@code turnkey.refresh-token.lifetime} like refreshable legacy tokens.
 */
@ApplicationScoped
public class OAuthSettings {

    @Inject
    TurnkeyConfig config;

    private Duration codeLifetime;
    private Duration consentMemory;
    private Duration browserSessionLifetime;
    private boolean registrationPages;
    private Duration reauthenticationWindow;
    private Duration crossSigningResetLifetime;
    private Duration deviceCodeLifetime;
    private Duration deviceCodeInterval;
    private boolean legacySso;
    private List<String> ssoRedirectAllowlist;

    public OAuthSettings() {
    }

    /** For unit tests. */
    public OAuthSettings(TurnkeyConfig config) {
        this.config = config;
        load();
    }

    @PostConstruct
    void load() {
        // RFC 6749 section 4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED."
        codeLifetime = config.duration("turnkey.oauth.code-lifetime").orElse(Duration.ofMinutes(2));
        if (codeLifetime.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalStateException("Invalid configuration turnkey.oauth.code-lifetime='" + codeLifetime
                    + "': expected at most PT10M (RFC 6749 section 4.1.2)");
        }
        consentMemory = config.duration("turnkey.oauth.consent-memory").orElse(Duration.ofDays(90));
        browserSessionLifetime = config.duration("turnkey.oauth.browser-session.lifetime").orElse(Duration.ofDays(7));
        // With turnkey.registration.requires-email the page asks for the address (RegisterServlet).
        registrationPages = config.bool("turnkey.oauth.registration-pages", true);
        reauthenticationWindow = config.duration("turnkey.oauth.reauthentication-window").orElse(Duration.ofMinutes(5));
        crossSigningResetLifetime = config.duration("turnkey.oauth.cross-signing-reset.lifetime")
                .orElse(Duration.ofMinutes(10));
        // RFC 8628 section 3.2 leaves both to the server; MAS uses 20 minutes and 5 seconds.
        deviceCodeLifetime = config.duration("turnkey.oauth.device-code-lifetime").orElse(Duration.ofMinutes(10));
        if (deviceCodeLifetime.compareTo(Duration.ofSeconds(1)) < 0 || deviceCodeLifetime.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalStateException("Invalid configuration turnkey.oauth.device-code-lifetime='"
                    + deviceCodeLifetime + "': expected PT1S to PT1H");
        }
        deviceCodeInterval = config.duration("turnkey.oauth.device-code-interval").orElse(Duration.ofSeconds(5));
        if (deviceCodeInterval.toMillis() % 1000 != 0 || deviceCodeInterval.getSeconds() < 1
                || deviceCodeInterval.getSeconds() > 60) {
            throw new IllegalStateException("Invalid configuration turnkey.oauth.device-code-interval='"
                    + deviceCodeInterval + "': expected whole seconds from PT1S to PT60S (RFC 8628 interval)");
        }
        legacySso = config.bool("turnkey.oauth.legacy-sso", true);
        ssoRedirectAllowlist = config.raw("turnkey.oauth.sso-redirect-allowlist")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList())
                .orElse(List.of());
    }

    /** How long a device code and its user code are valid (RFC 8628 expires_in). */
    public Duration deviceCodeLifetime() { return deviceCodeLifetime; }

    /** The least time between two polls of the token endpoint with one device code (RFC 8628 interval). */
    public Duration deviceCodeInterval() { return deviceCodeInterval; }

    /** How long an authorisation code can be exchanged. */
    public Duration codeLifetime() { return codeLifetime; }

    /** How long a user's consent to a client and scope is remembered. */
    public Duration consentMemory() { return consentMemory; }

    /** How long a browser stays signed in to Turnkey's pages. */
    public Duration browserSessionLifetime() { return browserSessionLifetime; }

    /**
     * Whether the browser offers account registration ({@code prompt=create}): only if this is
     * on and {@code turnkey.registration.enabled} is too.
     */
    public boolean registrationPages() { return registrationPages && config.registrationEnabled(); }

    /**
     * Whether legacy clients may sign in through the browser (spec "OAuth 2.0 aware clients":
     * {@code m.login.sso} with {@code oauth_aware_preferred}, {@code /login/sso/redirect}). It
     * hands the client an {@code m.login.token}, so it needs {@code turnkey.login-token.enabled} too.
     */
    public boolean legacySso() { return legacySso && config.loginTokenEnabled(); }

    /**
     * {@code turnkey.oauth.sso-redirect-allowlist}: hosts ({@code app.example.com}) or URL prefixes
     * ({@code https://app.example.com/sso/}) the SSO redirect returns to without asking the user.
     */
    public List<String> ssoRedirectAllowlist() { return ssoRedirectAllowlist; }

    /**
     * How long after entering the password a browser may change the password, deactivate the
     * account or approve a cross-signing reset on the account pages without entering it again.
     */
    public Duration reauthenticationWindow() { return reauthenticationWindow; }

    /** How long an approval of a cross-signing reset (action {@code org.matrix.cross_signing_reset}) lasts. */
    public Duration crossSigningResetLifetime() { return crossSigningResetLifetime; }
}
