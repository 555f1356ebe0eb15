package org.turnkey.oauth.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.api.MatrixException;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.authorize.QueryStrings;
import org.turnkey.oauth.legacy.LegacySso;
import org.turnkey.oauth.legacy.LegacySso.SsoRequest;

import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /_matrix/client/v3/login/sso/redirect?redirectUrl=...[&action=login|register]} (spec
 * "Client login via SSO", "OAuth 2.0 aware clients"; also under {@code r0}, as Synapse serves it).
 * A servlet, not a JAX-RS resource, because what it answers is a browser's: Turnkey's own sign-in
 * page (or the registration page for {@code action=register}), then a redirect to
 * {@code redirectUrl} with a {@code loginToken}. The exact-path mappings win over Jersey's
 * {@code /*}, so the r0 path is mapped here rather than by {@code api.LegacyR0Paths}.
 * <ul>
 *   <li>no {@code redirectUrl}: 400 {@code M_MISSING_PARAM} (JSON: the client's mistake, no browser page)</li>
 *   <li>a {@code redirectUrl} that is not an absolute http(s) URL: 400 error page</li>
 *   <li>this server's host, loopback hosts and {@code turnkey.oauth.sso-redirect-allowlist}: straight
 *       back once signed in; any other host: "Continue to host?" first (a CSRF-protected POST)</li>
 *   <li>{@code turnkey.oauth.legacy-sso=false}: 404 {@code M_UNRECOGNIZED}</li>
 * </ul>
 */
@WebServlet({"/_matrix/client/v3/login/sso/redirect", "/_matrix/client/r0/login/sso/redirect"})
public class SsoRedirectServlet extends PageServlet {

    @Inject
    OAuthSettings settings;

    @Inject
    OAuthUrls urls;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        Optional<SsoRequest> asked = ssoRequest(request, response);
        if (asked.isEmpty()) {
            return;
        }
        if (asked.get().register()) {
            // Spec "OAuth 2.0 aware clients": action=register shows registration, as prompt=create does.
            String page = settings.registrationPages() ? OAuthUrls.REGISTER_PAGE : OAuthUrls.LOGIN_PAGE;
            pages.redirect(response, sso.page(page, asked.get()), null);
            return;
        }
        Optional<String> userId = sessions.current(request);
        if (userId.isEmpty()) {
            pages.redirect(response, sso.page(OAuthUrls.LOGIN_PAGE, asked.get()), null);
        } else if (asked.get().target().direct()) {
            pages.redirect(response, sso.complete(userId.get(), asked.get()), asked.get().target().url());
        } else {
            confirm(request, response, asked.get(), userId.get());
        }
    }

    /** "Continue to host?": the user confirmed (CSRF-checked), so the token goes to that host. */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!csrfValid(request, response)) {
            return;
        }
        Optional<SsoRequest> asked = ssoRequest(request, response);
        if (asked.isEmpty()) {
            return;
        }
        Optional<String> userId = sessions.current(request);
        if (userId.isEmpty()) {
            pages.redirect(response, sso.page(OAuthUrls.LOGIN_PAGE, asked.get()), null);
            return;
        }
        pages.redirect(response, sso.complete(userId.get(), asked.get()), asked.get().target().url());
    }

    private void confirm(HttpServletRequest request, HttpServletResponse response, SsoRequest asked, String userId)
            throws IOException, ServletException {
        String query = QueryStrings.encode(asked.continuation());
        request.setAttribute("action", sso.resume(asked));
        request.setAttribute("logoutAction", urls.basePath() + OAuthUrls.LOGOUT_PAGE + "?" + query);
        request.setAttribute("targetHost", asked.target().host());
        request.setAttribute("targetUrl", asked.target().url());
        request.setAttribute("userId", userId);
        pages.render(request, response, 200, "sso-confirm", asked.target().url());
    }

    /** The checked request, or empty after answering with the JSON error or the error page. */
    private Optional<SsoRequest> ssoRequest(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (!sso.enabled()) {
            json(response, MatrixException.unrecognized(404, "This server does not offer SSO login"));
            return Optional.empty();
        }
        Optional<Map<String, List<String>>> params = QueryStrings.parse(request.getQueryString());
        if (params.isPresent() && !params.get().containsKey(LegacySso.REDIRECT_URL)) {
            json(response, MatrixException.missingParam(LegacySso.REDIRECT_URL));
            return Optional.empty();
        }
        LegacySso.Parsed parsed = sso.parse(request.getQueryString());
        if (parsed instanceof LegacySso.Valid valid) {
            return Optional.of(valid.request());
        }
        pages.error(request, response, 400, parsed instanceof LegacySso.Refused refused ? refused.message()
                : "The app did not say where to return after sign-in.");
        return Optional.empty();
    }

    /** A Matrix error as every Matrix endpoint answers it. */
    private static void json(HttpServletResponse response, MatrixException error) throws IOException {
        response.setStatus(error.status());
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        // As every Matrix answer (api.CorsFilter): a web client may read the error.
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");
        byte[] body = error.body().toString().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
