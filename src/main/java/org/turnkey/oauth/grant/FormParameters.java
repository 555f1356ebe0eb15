package org.turnkey.oauth.grant;

import org.turnkey.api.OAuthException;
import org.turnkey.api.Text;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a token or revocation request: {@code application/x-www-form-urlencoded}
 * in the body (RFC 6749 section 3.2, RFC 7009 section 2.1), read by Turnkey itself so that
 * whatever arrives gets an OAuth error rather than a container or Matrix one. Anything else is
 * 400 {@code invalid_request}; so is a parameter sent twice (RFC 6749 section 3.2: "Request and
 * response parameters MUST NOT be included more than once"). Empty values count as absent
 * (section 3.1).
 */
public final class FormParameters {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final Map<String, String> values;

    private FormParameters(Map<String, String> values) {
        this.values = values;
    }

    public static FormParameters parse(String contentType, String body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            throw OAuthException.invalidRequest("The request body must be " + FORM);
        }
        Map<String, String> values = new HashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name;
                String value;
                try {
                    name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw OAuthException.invalidRequest("The request body is not valid " + FORM);
                }
                if (!Text.acceptable(name) || !Text.acceptable(value)) {
                    throw OAuthException.invalidRequest("Parameters must not contain U+0000");
                }
                if (value.isEmpty()) {
                    continue;
                }
                if (values.putIfAbsent(name, value) != null) {
                    throw OAuthException.invalidRequest("Parameter " + safe(name) + " is repeated");
                }
            }
        }
        return new FormParameters(values);
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The parameter, or 400 {@code invalid_request} naming it. */
    public String require(String name) {
        String value = values.get(name);
        if (value == null) {
            throw OAuthException.invalidRequest("Missing parameter " + name);
        }
        return value;
    }

    private static String safe(String name) {
        String clean = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return clean.length() > 40 ? clean.substring(0, 40) : clean;
    }
}
