package org.turnkey.oauth.authorize;

import org.turnkey.api.Text;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * application/x-www-form-urlencoded query strings, parsed by hand rather than through
 * {@code getParameter}: on a form POST the container merges body and query, and the pages must
 * know that the authorisation request came from the query and the typed fields from the body.
 */
public final class QueryStrings {

    private QueryStrings() {
    }

    /** Every parameter with all its values, or empty if the string is not well-formed. */
    public static Optional<Map<String, List<String>>> parse(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return Optional.of(params);
        }
        try {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!Text.acceptable(name) || !Text.acceptable(value)) {
                    return Optional.empty();
                }
                params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(params);
    }

    /** Encodes parameters; spaces as {@code %20}, which query and fragment parsers both read as a space. */
    public static String encode(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((name, value) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(component(name)).append('=').append(component(value));
        });
        return out.toString();
    }

    private static String component(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
