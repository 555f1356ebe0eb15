package org.turnkey.oauth.authorize;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.ErrorPage;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.Outcome;
import org.turnkey.oauth.client.OAuthClients;
import org.turnkey.oauth.code.AuthorizationCodes;

import java.util.Optional;

/**
 * The steps of the authorisation code flow (spec "Authorization code flow"): which page a
 * request needs next, and the answer that goes back to the client. The servlets only translate
 * HTTP to these calls.
 */
@ApplicationScoped
public class AuthorizationFlow {

    /** Where a valid request goes next. */
    public sealed interface Step permits ToClient, ToPage {
    }

    /** Back to the client with a code or an error. */
    public record ToClient(String location) implements Step {
    }

    /** To one of Turnkey's pages ({@code OAuthUrls} path), carrying the request. */
    public record ToPage(String location) implements Step {
    }

    @Inject
    OAuthClients clients;

    @Inject
    OAuthUrls urls;

    @Inject
    OAuthSettings settings;

    @Inject
    Consents consents;

    @Inject
    AuthorizationCodes codes;

    /** Validates the request in a query string (the authorisation endpoint's, or a page's). */
    public Outcome check(String rawQuery) {
        return QueryStrings.parse(rawQuery)
                .map(params -> AuthorizationRequestPolicy.check(params, clients::find, urls.issuer()))
                .orElseGet(() -> new ErrorPage("The request's parameters are malformed."));
    }

    /**
     * The next step for a valid request from a browser signed in as {@code userId} (or not).
     * prompt=none never shows a page (OIDC Core section 3.1.2.6): it fails with
     * {@code login_required} or {@code consent_required} where a page would be needed.
     */
    public Step next(AuthorizationRequest request, Optional<String> userId) {
        if (request.prompt("none")) {
            if (userId.isEmpty()) {
                return new ToClient(error(request, "login_required", "The user is not signed in"));
            }
            if (!consents.remembered(userId.get(), request.clientId())) {
                return new ToClient(error(request, "consent_required", "The user has not allowed this client"));
            }
            return new ToClient(approve(request, userId.get()));
        }
        if (request.prompt("create")) {
            // Spec "prompt=create": show registration; the sign-in page when registration is off.
            return new ToPage(page(settings.registrationPages() ? OAuthUrls.REGISTER_PAGE : OAuthUrls.LOGIN_PAGE,
                    request));
        }
        if (userId.isEmpty()) {
            return new ToPage(page(OAuthUrls.LOGIN_PAGE, request));
        }
        if (consents.remembered(userId.get(), request.clientId())) {
            return new ToClient(approve(request, userId.get()));
        }
        return new ToPage(page(OAuthUrls.CONSENT_PAGE, request));
    }

    /** Issues a code for the request and returns the client's redirect with it. */
    public String approve(AuthorizationRequest request, String userId) {
        String code = codes.issue(request.clientId(), userId, request.scope().value(), request.redirectUri(),
                request.codeChallenge());
        return AuthorizationResponse.success(request.redirectUri(), request.responseMode(), code, request.state(),
                urls.issuer());
    }

    /** RFC 6749 section 4.1.2.1: the user said no. */
    public String deny(AuthorizationRequest request) {
        return error(request, "access_denied", "The user denied access");
    }

    /**
     * A page's address carrying the request (prompt dropped, see {@link AuthorizationRequest#continuation}).
     * Path-absolute (the base path, no scheme or host): hops between Turnkey's own pages keep the
     * browser on the host it came in on, so the cookies set on one page are sent to the next even
     * when that host is not the one in {@code turnkey.public-base-url} (a second name, a test
     * server on a random port). Only the client's redirect URI is ever absolute.
     */
    public String page(String path, AuthorizationRequest request) {
        return urls.basePath() + path + "?" + QueryStrings.encode(request.continuation());
    }

    /** Back into the authorisation endpoint after a sign-in or registration: the only continuation there is. */
    public String resume(AuthorizationRequest request) {
        return page(OAuthUrls.AUTHORIZE, request);
    }

    private String error(AuthorizationRequest request, String error, String description) {
        return AuthorizationResponse.error(request.redirectUri(), request.responseMode(), error, description,
                request.state(), urls.issuer());
    }
}
