package org.turnkey.oauth;

import org.turnkey.api.OAuthException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A requested OAuth 2.0 scope (spec "Scope", RFC 6749 section 3.3): full Client-Server API access
 * plus exactly one device. Both spellings are accepted, the stable {@code urn:matrix:client:...}
 * and MSC2967's unstable {@code urn:matrix:org.matrix.msc2967.client:...}, which Element X still
 * sends; the granted scope is answered in the spelling the client asked for.
 */
public record Scope(String deviceId, boolean unstable) {

    public static final String API = "urn:matrix:client:api:*";
    public static final String DEVICE_PREFIX = "urn:matrix:client:device:";
    public static final String UNSTABLE_API = "urn:matrix:org.matrix.msc2967.client:api:*";
    public static final String UNSTABLE_DEVICE_PREFIX = "urn:matrix:org.matrix.msc2967.client:device:";

    /**
     * A device ID the scope may allocate: RFC 3986's unreserved characters (the spec's advice to
     * clients), at most 255 of them (the column; the legacy API's limit too).
     */
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._~-]{1,255}");

    /** RFC 6749 section 3.3: scope tokens are space-separated, of %x21 / %x23-5B / %x5D-7E. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    /**
     * Parses a requested scope, or throws {@code invalid_scope}: it must grant the API and name
     * exactly one device, in one spelling. Unknown tokens are refused rather than dropped, so a
     * client never believes it holds a scope Turnkey does not grant.
     */
    public static Scope parse(String scope) {
        if (scope == null || scope.isBlank()) {
            throw OAuthException.invalidScope("scope is required: " + API + " and one " + DEVICE_PREFIX + "<device_id>");
        }
        boolean api = false;
        boolean unstableApi = false;
        List<String> devices = new ArrayList<>();
        int unstableDevices = 0;
        for (String token : scope.trim().split(" +")) {
            if (!SCOPE_TOKEN.matcher(token).matches()) {
                throw OAuthException.invalidScope("scope contains characters RFC 6749 section 3.3 does not allow");
            }
            if (token.equals(API)) {
                api = true;
            } else if (token.equals(UNSTABLE_API)) {
                unstableApi = true;
            } else if (token.startsWith(DEVICE_PREFIX)) {
                devices.add(token.substring(DEVICE_PREFIX.length()));
            } else if (token.startsWith(UNSTABLE_DEVICE_PREFIX)) {
                devices.add(token.substring(UNSTABLE_DEVICE_PREFIX.length()));
                unstableDevices++;
            } else {
                throw OAuthException.invalidScope("Unsupported scope token: " + token);
            }
        }
        if (api && unstableApi) {
            throw OAuthException.invalidScope("scope names the API twice, in the stable and the unstable spelling");
        }
        if (!api && !unstableApi) {
            throw OAuthException.invalidScope("scope must include " + API);
        }
        if (devices.size() != 1) {
            throw OAuthException.invalidScope("scope must include exactly one " + DEVICE_PREFIX + "<device_id>");
        }
        if ((unstableDevices == 1) != unstableApi) {
            throw OAuthException.invalidScope("scope mixes the stable and the unstable spelling");
        }
        String deviceId = devices.get(0);
        if (!DEVICE_ID.matcher(deviceId).matches()) {
            throw OAuthException.invalidScope("device ID must be 1 to 255 of the characters A-Z a-z 0-9 - . _ ~");
        }
        return new Scope(deviceId, unstableApi);
    }

    /**
     * A scope for the device authorisation grant (RFC 8628 section 3.1: scope is optional there):
     * absent means the API in the stable spelling, and a scope that names no device gets
     * {@code newDeviceId} in its spelling; otherwise exactly {@link #parse}'s rules.
     */
    public static Scope parseOrAllocate(String scope, java.util.function.Supplier<String> newDeviceId) {
        if (scope == null || scope.isBlank()) {
            return new Scope(newDeviceId.get(), false);
        }
        List<String> tokens = List.of(scope.trim().split(" +"));
        boolean namesDevice = tokens.stream().anyMatch(t -> t.startsWith(DEVICE_PREFIX) || t.startsWith(UNSTABLE_DEVICE_PREFIX));
        if (namesDevice) {
            return parse(scope);
        }
        String prefix = tokens.contains(UNSTABLE_API) ? UNSTABLE_DEVICE_PREFIX : DEVICE_PREFIX;
        return parse(scope.trim() + " " + prefix + newDeviceId.get());
    }

    /** The scope as granted, in the client's spelling, API first. */
    public String value() {
        return unstable ? UNSTABLE_API + " " + UNSTABLE_DEVICE_PREFIX + deviceId : API + " " + DEVICE_PREFIX + deviceId;
    }

    @Override
    public String toString() {
        return value();
    }
}
