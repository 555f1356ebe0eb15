package org.turnkey.oauth.legacy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.login.LoginTokens;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.authorize.QueryStrings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy API's browser sign-in for OAuth 2.0 aware clients (spec "OAuth 2.0 aware clients",
 * "Client login via SSO"): {@code GET /login/sso/redirect?redirectUrl=...} leads the browser through
 * Turnkey's own sign-in or registration page, then back to {@code redirectUrl} with a single-use
 * {@code loginToken} that {@code POST /login} accepts as {@code m.login.token}. Like an
 * authorisation request, the SSO request is never stored: the pages carry {@code redirectUrl} in
 * their query and every step checks it again.
 */
@ApplicationScoped
public class LegacySso {

    /** The query parameter that marks a page's query as an SSO request rather than an authorisation request. */
    public static final String REDIRECT_URL = "redirectUrl";

    /** A checked SSO request. {@code register}: the client asked for {@code action=register}. */
    public record SsoRequest(SsoRedirectPolicy.Target target, boolean register) {

        /** The request as the pages carry it: {@code action} has done its work once a page is reached. */
        public Map<String, String> continuation() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put(REDIRECT_URL, target.url());
            return params;
        }
    }

    /** What a query string holds. */
    public sealed interface Parsed permits NotSso, Refused, Valid {
    }

    /** No {@code redirectUrl}: not an SSO request (an authorisation request, or nothing). */
    public record NotSso() implements Parsed {
    }

    public record Refused(String message) implements Parsed {
    }

    public record Valid(SsoRequest request) implements Parsed {
    }

    @Inject
    OAuthSettings settings;

    @Inject
    TurnkeyConfig config;

    @Inject
    OAuthUrls urls;

    @Inject
    LoginTokens loginTokens;

    @Inject
    SecurityEvents events;

    public boolean enabled() {
        return settings.legacySso();
    }

    SsoRedirectPolicy policy() {
        return new SsoRedirectPolicy(config.publicBaseUrl(), settings.ssoRedirectAllowlist());
    }

    /** Reads a page's query: the SSO request it carries, if it carries one. */
    public Parsed parse(String rawQuery) {
        Optional<Map<String, List<String>>> params = QueryStrings.parse(rawQuery);
        if (params.isEmpty()) {
            return new Refused("The request's parameters are malformed.");
        }
        List<String> redirect = params.get().get(REDIRECT_URL);
        if (redirect == null) {
            return new NotSso();
        }
        if (!enabled()) {
            return new Refused("This server does not offer sign-in for this kind of app.");
        }
        if (redirect.size() != 1) {
            return new Refused("The app sent more than one address to return to.");
        }
        // matrix-js-sdk sends the stable name and MSC3824's unstable one.
        List<String> action = new ArrayList<>(params.get().getOrDefault("action", List.of()));
        action.addAll(params.get().getOrDefault("org.matrix.msc3824.action", List.of()));
        SsoRedirectPolicy.Outcome outcome = policy().check(redirect.get(0));
        if (outcome instanceof SsoRedirectPolicy.Target target) {
            return new Valid(new SsoRequest(target, action.contains("register")));
        }
        return new Refused(((SsoRedirectPolicy.Refused) outcome).message());
    }

    /** A page's path-absolute address carrying the request (as {@code AuthorizationFlow.page}). */
    public String page(String path, SsoRequest request) {
        return urls.basePath() + path + "?" + QueryStrings.encode(request.continuation());
    }

    /** Back to the SSO step after a sign-in or registration. */
    public String resume(SsoRequest request) {
        return page(OAuthUrls.SSO_PAGE, request);
    }

    /** Issues a login token for the user and answers the client's address with it. */
    public String complete(String userId, SsoRequest request) {
        LoginTokens.Issued issued = loginTokens.issue(userId);
        events.ssoLoginTokenIssued(userId, request.target().host());
        return SsoRedirectPolicy.withLoginToken(request.target().url(), issued.token());
    }
}
