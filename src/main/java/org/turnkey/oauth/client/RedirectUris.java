package org.turnkey.oauth.client;

import org.turnkey.config.TurnkeyConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Whether a redirect URI presented in an authorisation or token request is one the client
 * registered (RFC 6749 section 3.1.2.3; RFC 9700 section 4.1.3: exact string comparison). The
 * one exception is the spec's, from RFC 8252 section 7.3: a native client's {@code http}
 * loopback redirect URI is registered without a port, and any port is accepted when it is used.
 */
public final class RedirectUris {

    private RedirectUris() {
    }

    public static boolean allowed(OAuthClient client, String presented) {
        if (presented == null) {
            return false;
        }
        for (String registered : client.redirectUris()) {
            if (registered.equals(presented)) {
                return true;
            }
            if (client.isNative() && sameLoopbackIgnoringPort(registered, presented)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameLoopbackIgnoringPort(String registered, String presented) {
        try {
            URI r = new URI(registered);
            URI p = new URI(presented);
            return "http".equals(r.getScheme()) && "http".equals(p.getScheme())
                    && r.getHost() != null && TurnkeyConfig.isLoopback(r.getHost())
                    && r.getHost().equalsIgnoreCase(p.getHost()) && r.getPort() == -1
                    && p.getRawUserInfo() == null && p.getRawFragment() == null
                    && Objects.equals(r.getRawPath(), p.getRawPath())
                    && Objects.equals(r.getRawQuery(), p.getRawQuery());
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
