package org.turnkey.oauth.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.turnkey.token.Tokens;

import java.util.Optional;

/**
 * CSRF protection for the pages' forms: a random value in an HttpOnly cookie, and in every form
 * a token derived from it, which a POST must bring back. A cross-site page can make the browser
 * send the cookie but can neither read it nor the form token. It is not tied to the sign-in, so
 * it also stops login CSRF (signing a victim in to the attacker's account) on the sign-in and
 * registration forms, which are posted before any session exists. The form carries a hash rather
 * than the cookie value itself so that the HTML never contains the cookie's secret.
 */
@ApplicationScoped
public class Csrf {

    @Inject
    Cookies cookies;

    /** The form token for this browser, setting the cookie first if the browser has none. */
    public String token(HttpServletRequest request, HttpServletResponse response) {
        Object cached = request.getAttribute(Csrf.class.getName());
        if (cached instanceof String value) {
            return derive(value);
        }
        String value = cookies.read(request, Cookies.CSRF).filter(v -> v.length() >= 32).orElseGet(() -> {
            String fresh = Tokens.randomString(32);
            // A browser-session cookie: a form left open past the browser's lifetime just asks again.
            cookies.write(response, Cookies.CSRF, fresh, null);
            return fresh;
        });
        request.setAttribute(Csrf.class.getName(), value);
        return derive(value);
    }

    /** Whether a POST brought back the token of the cookie it carries. */
    public boolean valid(HttpServletRequest request) {
        Optional<String> cookie = cookies.read(request, Cookies.CSRF);
        String presented = request.getParameter("csrf");
        return cookie.isPresent() && presented != null && Tokens.same(derive(cookie.get()), presented);
    }

    private static String derive(String cookieValue) {
        return Tokens.hash("turnkey-csrf:" + cookieValue);
    }
}
