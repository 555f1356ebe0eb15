package org.turnkey.oauth.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.email.MailSettings;
import org.turnkey.oauth.OAuthUrls;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Renders the pages (Jakarta Pages under {@code /WEB-INF/pages/}, see web.xml) and answers every
 * page response, redirect or not, with the same security headers.
 */
@ApplicationScoped
public class Pages {

    /** What may appear in a CSP source expression without ending it. */
    private static final Pattern CSP_SAFE = Pattern.compile("[A-Za-z0-9+.\\-:/\\[\\]]+");

    @Inject
    TurnkeyConfig config;

    @Inject
    OAuthUrls urls;

    @Inject
    Csrf csrf;

    @Inject
    MailSettings mail;

    /**
     * Renders page {@code name} ({@code turnkey-page-NAME} in web.xml). A named dispatcher is used
     * because Jersey is mapped at {@code /*}, which would win over the container's {@code *.jsp}
     * mapping for a forward by path.
     *
     * @param redirectUri the client's redirect URI when the page's forms can end in a redirect to it
     */
    public void render(HttpServletRequest request, HttpServletResponse response, int status, String name,
                       String redirectUri) throws IOException, ServletException {
        headers(response, redirectUri);
        request.setAttribute("serverName", config.serverName());
        // Path-absolute: the error page is also rendered under _turnkey/oauth2/, so a relative
        // reference would resolve elsewhere; no host, so it works whatever host the browser used.
        request.setAttribute("staticBase", urls.basePath() + OAuthUrls.STATIC);
        request.setAttribute("csrf", csrf.token(request, response));
        if (mail.enabled()) {
            // The sign-in page's "Forgot your password?" (email.ForgotPasswordServlet).
            request.setAttribute("forgotLink", urls.basePath() + "_turnkey/password/forgot");
        }
        response.setStatus(status);
        RequestDispatcher page = request.getServletContext().getNamedDispatcher("turnkey-page-" + name);
        page.forward(request, response);
    }

    public void error(HttpServletRequest request, HttpServletResponse response, int status, String message)
            throws IOException, ServletException {
        request.setAttribute("message", message);
        render(request, response, status, "error", null);
    }

    /** 303 See Other: after a POST the browser must GET the next address, never re-POST the form. */
    public void redirect(HttpServletResponse response, String location, String redirectUri) {
        headers(response, redirectUri);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
    }

    /**
     * The headers of every page response. No script and no inline style may run (CSP), the pages
     * cannot be framed (clickjacking the Allow button), no URL with a request's parameters leaks
     * in a Referer, and nothing is cached (the pages show who is signed in and carry CSRF tokens).
     * form-action lists the client's redirect URI's origin: Chromium applies form-action to the
     * redirects that follow a form POST, and the sign-in and consent POSTs end in a redirect to it.
     */
    void headers(HttpServletResponse response, String redirectUri) {
        StringBuilder formAction = new StringBuilder("'self' ").append(origin(urls.issuer()));
        String target = redirectUri == null ? null : origin(redirectUri);
        if (target != null) {
            formAction.append(' ').append(target);
        }
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' https:;"
                + " frame-ancestors 'none'; base-uri 'none'; form-action " + formAction);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
    }

    /**
     * The CSP source expression for a URI: its origin for http(s), its scheme for a native app's
     * private-use scheme ({@code com.example.app:}); null if it cannot be expressed safely.
     */
    static String origin(String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme();
            if (scheme == null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            String source = (scheme.equals("http") || scheme.equals("https")) && parsed.getRawAuthority() != null
                    ? scheme + "://" + parsed.getRawAuthority()
                    : scheme + ":";
            return CSP_SAFE.matcher(source).matches() ? source : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
