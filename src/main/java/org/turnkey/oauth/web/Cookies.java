package org.turnkey.oauth.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.oauth.OAuthUrls;

import java.time.Duration;
import java.util.Optional;

/**
 * The pages' cookies: HttpOnly (no script needs them, and there is none), SameSite=Lax (sent on
 * the top-level GET from the client to the authorisation endpoint, not on cross-site POSTs),
 * Secure when the public base URL is https, and scoped to the base path. With https at the root
 * the {@code __Host-} prefix is used too, so no sibling subdomain can plant or overwrite one.
 */
@ApplicationScoped
public class Cookies {

    public static final String SESSION = "turnkey_session";
    public static final String CSRF = "turnkey_csrf";

    @Inject
    OAuthUrls urls;

    String name(String base) {
        return urls.secure() && "/".equals(urls.basePath()) ? "__Host-" + base : base;
    }

    public Optional<String> read(HttpServletRequest request, String base) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        String name = name(base);
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(name) && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /** Sets a cookie; a null lifetime makes it last as long as the browser session. */
    public void write(HttpServletResponse response, String base, String value, Duration lifetime) {
        Cookie cookie = new Cookie(name(base), value);
        cookie.setHttpOnly(true);
        cookie.setSecure(urls.secure());
        cookie.setPath(urls.basePath());
        cookie.setAttribute("SameSite", "Lax");
        if (lifetime != null) {
            cookie.setMaxAge((int) Math.min(Integer.MAX_VALUE, lifetime.toSeconds()));
        }
        response.addCookie(cookie);
    }

    public void clear(HttpServletResponse response, String base) {
        write(response, base, "", Duration.ZERO);
    }
}
