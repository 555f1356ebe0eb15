package org.turnkey.oauth.web;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.authorize.AuthorizationRequest;
import org.turnkey.oauth.authorize.Consents;
import org.turnkey.oauth.client.OAuthClient;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The consent page, {@code /_turnkey/consent}: who is asking (as the client registered itself,
 * which anyone can do: the page says so and shows where its links lead), which account, what is
 * granted, and Allow / Deny. Allow is remembered ({@link Consents}); Deny goes back to the client
 * with {@code access_denied} (RFC 6749 section 4.1.2.1).
 */
@WebServlet("/_turnkey/consent")
public class ConsentServlet extends PageServlet {

    @Inject
    Consents consents;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        Optional<AuthorizationRequest> authorization = authorization(request, response);
        if (authorization.isEmpty()) {
            return;
        }
        Optional<String> userId = sessions.current(request);
        if (userId.isEmpty()) {
            pages.redirect(response, flow.page(OAuthUrls.LOGIN_PAGE, authorization.get()),
                    authorization.get().redirectUri());
            return;
        }
        show(request, response, authorization.get(), userId.get());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!csrfValid(request, response)) {
            return;
        }
        Optional<AuthorizationRequest> authorization = authorization(request, response);
        if (authorization.isEmpty()) {
            return;
        }
        AuthorizationRequest a = authorization.get();
        Optional<String> userId = sessions.current(request);
        if (userId.isEmpty()) {
            // Signed out (or the session expired) in another tab: sign in again, then decide.
            pages.redirect(response, flow.page(OAuthUrls.LOGIN_PAGE, a), a.redirectUri());
            return;
        }
        String decision = field(request, "decision");
        if (decision.equals("allow")) {
            consents.remember(userId.get(), a.clientId());
            pages.redirect(response, flow.approve(a, userId.get()), a.redirectUri());
        } else if (decision.equals("deny")) {
            pages.redirect(response, flow.deny(a), a.redirectUri());
        } else {
            pages.error(request, response, 400, "Choose Allow or Deny.");
        }
    }

    private void show(HttpServletRequest request, HttpServletResponse response, AuthorizationRequest a,
                      String userId) throws IOException, ServletException {
        OAuthClient client = a.client();
        request.setAttribute("clientName", client.clientName().filter(n -> !n.isBlank()).orElse(client.clientId()));
        request.setAttribute("clientUri", link(client.clientUri()));
        request.setAttribute("clientHost", client.clientUri().flatMap(ConsentServlet::host).orElse(null));
        request.setAttribute("logoHost", client.logoUri().flatMap(ConsentServlet::host).orElse(null));
        request.setAttribute("tosUri", link(client.tosUri()));
        request.setAttribute("policyUri", link(client.policyUri()));
        request.setAttribute("userId", userId);
        request.setAttribute("deviceId", a.scope().deviceId());
        pages.render(request, response, 200, "consent", a.redirectUri());
    }

    /**
     * A client-supplied URL, only if it is http(s): anything else ({@code javascript:},
     * {@code data:}) is not linked at all. Output escaping is the page's (c:out).
     */
    static String link(Optional<String> uri) {
        return uri.filter(u -> host(u).isPresent()).orElse(null);
    }

    /** The host of an http(s) URL, lower-cased, or empty. */
    static Optional<String> host(String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                return Optional.empty();
            }
            return Optional.ofNullable(parsed.getHost()).map(h -> h.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
