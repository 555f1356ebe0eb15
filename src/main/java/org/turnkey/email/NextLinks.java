package org.turnkey.email;

import org.turnkey.api.MatrixException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code next_link} of a {@code requestToken} body (Identity Service API,
 * {@code request_email_validation}: "When the validation is completed, the identity server will
 * redirect the user to this URL"). Only absolute {@code http} and {@code https} URLs with a host
 * are kept, as Synapse does; anything else ({@code javascript:}, {@code ftp:}, a relative
 * reference) is 400 {@code M_INVALID_PARAM}, so the validation page never redirects anywhere else.
 */
public final class NextLinks {

    /** Longer links are refused: the column holds this many characters. */
    public static final int MAX_LENGTH = 2048;

    private NextLinks() {
    }

    /** The link to keep, or empty when none was given; 400 {@code M_INVALID_PARAM} for one that may not be followed. */
    public static Optional<String> check(Optional<String> nextLink) {
        if (nextLink.isEmpty()) {
            return Optional.empty();
        }
        String link = nextLink.get();
        if (link.length() > MAX_LENGTH) {
            throw MatrixException.invalidParam("next_link is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(link);
        } catch (URISyntaxException e) {
            throw invalid();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.isOpaque() || uri.getHost() == null
                || uri.getHost().isEmpty()) {
            throw invalid();
        }
        // Non-ASCII characters percent-encoded: the link goes out in a Location header.
        return Optional.of(uri.toASCIIString());
    }

    /** The host a page names when it says where the browser goes next. */
    public static String host(String link) {
        return URI.create(link).getHost();
    }

    private static MatrixException invalid() {
        return MatrixException.invalidParam("next_link must be an absolute http or https URL");
    }
}
