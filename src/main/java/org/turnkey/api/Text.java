package org.turnkey.api;

/**
 * The one rule on text a client sends: it never contains U+0000. PostgreSQL can neither store nor
 * compare it (SQLState 22021), so without this rule the same request would succeed on H2 and fail
 * on PostgreSQL; no Matrix identifier, display name or OAuth parameter has a use for it.
 */
public final class Text {

    private Text() {
    }

    public static boolean acceptable(String value) {
        return value == null || value.indexOf('\0') < 0;
    }

    /** The value, or null (as if it were not sent) when it is not {@link #acceptable}. */
    public static String orNull(String value) {
        return acceptable(value) ? value : null;
    }
}
