package org.turnkey.oauth.legacy;

import org.turnkey.config.TurnkeyConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Where {@code /login/sso/redirect} may send a browser back to with a login token (spec "Client
 * login via SSO", "OAuth 2.0 aware clients"). The {@code redirectUrl} is chosen by whoever made the
 * link, so it is a classic open redirect and phishing vector: a login token sent to a stranger's
 * site logs the stranger in. Only an absolute http(s) URL is accepted at all; it goes straight
 * through when its host is this server's own (the host of {@code turnkey.public-base-url}), a
 * loopback host (a desktop app listening on this machine), or one the operator lists in
 * {@code turnkey.oauth.sso-redirect-allowlist}; for any other the user is asked first.
 */
public final class SsoRedirectPolicy {

    /** What to do with a {@code redirectUrl}. */
    public sealed interface Outcome permits Refused, Target {
    }

    /** Not a URL the browser can be sent to: an error page (400), nothing is issued. */
    public record Refused(String message) implements Outcome {
    }

    /**
     * A URL to return to.
     *
     * @param host   its host, as the confirmation page names it
     * @param direct whether the browser goes there without asking the user
     */
    public record Target(String url, String host, boolean direct) implements Outcome {
    }

    static final int MAX_LENGTH = 2048;

    private final String ownHost;
    private final List<String> allowlist;

    public SsoRedirectPolicy(URI publicBaseUrl, List<String> allowlist) {
        this.ownHost = publicBaseUrl.getHost().toLowerCase(Locale.ROOT);
        this.allowlist = allowlist.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
    }

    public Outcome check(String redirectUrl) {
        if (redirectUrl == null || redirectUrl.isEmpty() || redirectUrl.length() > MAX_LENGTH) {
            return new Refused("The app did not say where to return after sign-in.");
        }
        URI uri;
        try {
            uri = new URI(redirectUrl);
        } catch (URISyntaxException e) {
            return notWeb();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isEmpty()
                || uri.isOpaque()) {
            return notWeb();
        }
        if (uri.getRawUserInfo() != null) {
            // https://good.example@evil.example/ goes to evil.example: refused rather than shown.
            return new Refused("The app asked to return to an address with a user name in it, which this server"
                    + " does not send sign-ins to.");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return new Target(redirectUrl, host, host.equals(ownHost) || TurnkeyConfig.isLoopback(host)
                || allowlisted(redirectUrl, host));
    }

    private boolean allowlisted(String url, String host) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (String entry : allowlist) {
            if (!entry.contains("://")) {
                if (entry.equals(host)) {
                    return true;
                }
            } else if (lower.startsWith(entry) && boundary(entry, lower)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A prefix matches only where a URL part ends: {@code https://app.example} must not let
     * {@code https://app.example.evil.com/} or {@code https://app.example:8443/} through.
     */
    private static boolean boundary(String prefix, String url) {
        if (prefix.endsWith("/") || url.length() == prefix.length()) {
            return true;
        }
        char next = url.charAt(prefix.length());
        return next == '/' || next == '?' || next == '#';
    }

    private static Refused notWeb() {
        return new Refused("The app asked to return to an address that is not a web address (http or https)."
                + " Go back to the app and start again.");
    }

    /** The URL with {@code loginToken} added to its query, before any fragment (as Synapse does). */
    public static String withLoginToken(String url, String token) {
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        String separator = base.contains("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?";
        return base + separator + "loginToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + fragment;
    }
}
