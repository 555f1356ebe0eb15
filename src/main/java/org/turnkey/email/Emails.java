package org.turnkey.email;

import org.turnkey.api.MatrixException;

import java.util.Locale;
import java.util.regex.Pattern;

/** Email addresses as Turnkey stores and compares them. */
public final class Emails {

    public static final String MEDIUM = "email";

    /**
     * One address, {@code local@domain}: no spaces, controls, angle brackets or quotes (nothing a
     * mail header could be split or extended with), a dot-separated domain, at most 254 characters
     * (RFC 5321's path limit).
     */
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern SENDER = Pattern.compile("[^<>\\p{Cntrl}\"]{0,100}<([^<>\\s]+)>|([^<>\\s]+)");

    private Emails() {
    }

    /**
     * The canonical form of an address: trimmed and lower-cased (as Synapse does, so
     * {@code Alice@Example.org} and {@code alice@example.org} are one address), or 400
     * {@code M_INVALID_PARAM}.
     */
    public static String canonical(String address) {
        String trimmed = address == null ? "" : address.trim();
        if (trimmed.length() > 254 || !ADDRESS.matcher(trimmed).matches()) {
            throw MatrixException.invalidParam("Invalid email address");
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    static boolean valid(String address) {
        return address != null && address.length() <= 254 && ADDRESS.matcher(address).matches();
    }

    /** {@code noreply@example.org} or {@code Name <noreply@example.org>}. */
    static boolean validSender(String from) {
        var m = SENDER.matcher(from.trim());
        if (!m.matches()) {
            return false;
        }
        return valid(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /** For log lines: the domain only, so logs name no mailbox. */
    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "?" : address.substring(at + 1);
    }
}
