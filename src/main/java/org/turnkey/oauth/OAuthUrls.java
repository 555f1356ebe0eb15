package org.turnkey.oauth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.net.URI;

/**
 * Where the OAuth 2.0 endpoints and the browser pages live. Every absolute URL Turnkey gives out
 * (the issuer, the metadata, redirects between its own pages) is {@code turnkey.public-base-url}
 * plus one of these paths, so a reverse proxy deployment only has to set that one key and
 * forward {@code /_turnkey/} besides {@code /_matrix/} and {@code /_synapse/}.
 */
@ApplicationScoped
public class OAuthUrls {

    /** JSON endpoints; their errors have the RFCs' shape (see {@code api.ServerErrorMapper}). */
    public static final String REGISTER = "_turnkey/oauth2/register";
    public static final String AUTHORIZE = "_turnkey/oauth2/authorize";
    public static final String TOKEN = "_turnkey/oauth2/token";
    public static final String REVOKE = "_turnkey/oauth2/revoke";
    /** RFC 8628 section 3.1, the device authorisation endpoint. */
    public static final String DEVICE_AUTHORIZATION = "_turnkey/oauth2/device";

    /** Browser pages. */
    public static final String LOGIN_PAGE = "_turnkey/login";
    public static final String REGISTER_PAGE = "_turnkey/register";
    public static final String CONSENT_PAGE = "_turnkey/consent";
    public static final String LOGOUT_PAGE = "_turnkey/logout";
    /** Account management (spec "Account management" under the OAuth 2.0 API): {@code account_management_uri}. */
    public static final String ACCOUNT_PAGE = "_turnkey/account";
    /** RFC 8628 section 3.3, the verification page (verification_uri). */
    public static final String DEVICE_PAGE = "_turnkey/device";
    /**
     * Legacy clients' SSO (spec {@code GET /login/sso/redirect}): a browser page too, served by a
     * servlet at the Matrix path (and its r0 twin), where the sign-in returns to.
     */
    public static final String SSO_PAGE = "_matrix/client/v3/login/sso/redirect";
    public static final String STATIC = "_turnkey/static/";

    @Inject
    TurnkeyConfig config;

    public OAuthUrls() {
    }

    /** For unit tests. */
    public OAuthUrls(TurnkeyConfig config) {
        this.config = config;
    }

    /** The issuer (spec "Server metadata discovery"): the public base URL itself. */
    public String issuer() {
        return config.publicBaseUrl().toString();
    }

    /** The absolute URL of one of the paths above. */
    public String url(String path) {
        return config.publicBaseUrl().resolve(path).toString();
    }

    /** Whether the base URL is https, so cookies must be {@code Secure}. */
    public boolean secure() {
        return "https".equals(config.publicBaseUrl().getScheme());
    }

    /** The path part of the base URL ({@code /} unless Turnkey sits under a prefix), for cookie paths. */
    public String basePath() {
        return URI.create(issuer()).getRawPath();
    }
}
