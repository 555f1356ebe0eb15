package org.turnkey.oauth.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.turnkey.api.Jsons;
import org.turnkey.api.OAuthException;
import org.turnkey.api.Text;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.token.Tokens;

import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every rule of dynamic client registration (RFC 7591, spec "Client registration", "Client
 * metadata", "Metadata localization", "Redirect URI validation"), without a container: it turns
 * a request body into the metadata Turnkey registers, or throws the RFC's 400
 * {@code invalid_client_metadata} / {@code invalid_redirect_uri}.
 * <p>
 * Turnkey registers public clients only (there is nothing for a client to keep secret on a
 * user's device). Metadata Turnkey does not use is dropped rather than refused, as RFC 7591
 * section 2 allows and the spec's example shows, so the answer tells the client what was kept.
 * The registered metadata is normalised (fixed key order, defaults filled in) so that identical
 * registrations have one {@link #digest} and share one {@code client_id} (the spec's note on
 * de-duplication).
 */
public final class ClientRegistrationPolicy {

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    /** RFC 8628 section 7.2. */
    public static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

    /** Human-readable values that may carry a {@code #language-tag} (spec "Metadata localization"). */
    private static final Set<String> LOCALIZABLE = Set.of("client_name", "logo_uri", "tos_uri", "policy_uri");
    private static final Set<String> HOSTED_URIS = Set.of("logo_uri", "tos_uri", "policy_uri");
    /** A BCP 47 language tag: a 2-8 letter language, then hyphen-separated subtags of 1-8 letters or digits. */
    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,6}");
    private static final int MAX_STRING = 1024;
    private static final int MAX_URI = 2048;
    private static final int MAX_REDIRECT_URIS = 20;
    /** The column holding the metadata is 16 KiB; refuse before the database does. */
    private static final int MAX_METADATA = 16_000;

    /** What a registration request turns into: the metadata to store and answer, and its digest. */
    public record Registration(JsonObject metadata, String digest) {
    }

    /**
     * Parses the request body. RFC 7591 section 3.2.2 has no error for a malformed body, and
     * clients only understand its two codes, so anything but one JSON object is
     * {@code invalid_client_metadata}.
     */
    public static JsonObject parse(String body) {
        if (body == null || body.isBlank()) {
            throw OAuthException.invalidClientMetadata("The request body must be a JSON object of client metadata");
        }
        try (var reader = Jsons.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject object)) {
                throw OAuthException.invalidClientMetadata("The request body must be a JSON object, not "
                        + value.getValueType().name().toLowerCase(Locale.ROOT));
            }
            return object;
        } catch (JsonException e) {
            throw OAuthException.invalidClientMetadata("The request body is not valid JSON");
        }
    }

    /** Decides a registration request. */
    public Registration decide(JsonObject request) {
        Map<String, JsonValue> kept = new TreeMap<>();

        String authMethod = optionalString(request, "token_endpoint_auth_method");
        if (authMethod != null && !authMethod.equals("none")) {
            throw OAuthException.invalidClientMetadata("Only public clients can register:"
                    + " token_endpoint_auth_method must be \"none\"");
        }
        kept.put("token_endpoint_auth_method", Jsons.createValue("none"));

        List<String> responseTypes = optionalStrings(request, "response_types");
        if (responseTypes != null && !responseTypes.equals(List.of("code"))) {
            throw OAuthException.invalidClientMetadata("response_types must be [\"code\"]");
        }
        kept.put("response_types", Jsons.createArrayBuilder().add("code").build());

        kept.put("grant_types", grantTypes(optionalStrings(request, "grant_types")));

        String applicationType = optionalString(request, "application_type");
        if (applicationType == null) {
            applicationType = OAuthClient.WEB;
        }
        if (!applicationType.equals(OAuthClient.WEB) && !applicationType.equals(OAuthClient.NATIVE)) {
            throw OAuthException.invalidClientMetadata("application_type must be \"web\" or \"native\"");
        }
        kept.put("application_type", Jsons.createValue(applicationType));

        String clientUri = optionalString(request, "client_uri");
        if (clientUri == null) {
            throw OAuthException.invalidClientMetadata("client_uri is required");
        }
        String clientHost = clientHost(clientUri);
        kept.put("client_uri", Jsons.createValue(clientUri));

        for (Map.Entry<String, JsonValue> field : request.entrySet()) {
            String name = field.getKey();
            int hash = name.indexOf('#');
            String base = hash < 0 ? name : name.substring(0, hash);
            if (!LOCALIZABLE.contains(base)) {
                continue;
            }
            if (hash >= 0 && !LANGUAGE_TAG.matcher(name.substring(hash + 1)).matches()) {
                throw OAuthException.invalidClientMetadata(name + ": not a language tag after '#'");
            }
            String value = string(name, field.getValue());
            if (HOSTED_URIS.contains(base)) {
                hostedUri(name, value, clientHost);
            } else if (value.isBlank() || value.length() > MAX_STRING) {
                throw OAuthException.invalidClientMetadata(name + " must be 1 to " + MAX_STRING + " characters");
            }
            kept.put(name, Jsons.createValue(value));
        }

        List<String> redirectUris = optionalStrings(request, "redirect_uris");
        boolean codeGrant = kept.get("grant_types").asJsonArray().contains(Jsons.createValue(AUTHORIZATION_CODE));
        if ((redirectUris == null || redirectUris.isEmpty()) && !codeGrant) {
            // A TV or command-line client that only uses the device grant has nowhere to be redirected to.
            redirectUris = List.of();
        } else if (redirectUris == null || redirectUris.isEmpty()) {
            throw OAuthException.invalidRedirectUri("redirect_uris is required: the authorization code grant needs one");
        }
        if (redirectUris.size() > MAX_REDIRECT_URIS) {
            throw OAuthException.invalidRedirectUri("At most " + MAX_REDIRECT_URIS + " redirect_uris");
        }
        for (String uri : redirectUris) {
            redirectUri(uri, applicationType, clientHost);
        }
        kept.put("redirect_uris", Jsons.createArrayBuilder(redirectUris).build());

        JsonObjectBuilder metadata = Jsons.createObjectBuilder();
        kept.forEach(metadata::add);
        JsonObject built = metadata.build();
        String canonical = built.toString();
        if (canonical.length() > MAX_METADATA) {
            throw OAuthException.invalidClientMetadata("Client metadata is too large");
        }
        // Keys are sorted and defaults filled in, so the text is canonical and its hash a digest.
        return new Registration(built, Tokens.hash(canonical));
    }

    /**
     * RFC 7591 section 2: the default is {@code authorization_code}; this server's grant issues
     * refresh tokens as the spec requires, so the default includes {@code refresh_token} too.
     * Unsupported grant types are dropped (the spec's example), but a grant that signs a user in
     * must remain: the code grant, or the device authorisation grant (RFC 8628), which is kept
     * only if asked for: a client that did not register it cannot start one (matrix-js-sdk asks
     * for it whenever the metadata offers it). A client with the device grant alone needs no
     * {@code redirect_uris} and cannot use the authorisation endpoint.
     */
    private static JsonArray grantTypes(List<String> requested) {
        if (requested == null) {
            return Jsons.createArrayBuilder().add(AUTHORIZATION_CODE).add(REFRESH_TOKEN).build();
        }
        if (!requested.contains(AUTHORIZATION_CODE) && !requested.contains(DEVICE_CODE)) {
            throw OAuthException.invalidClientMetadata("grant_types must include \"authorization_code\" or \""
                    + DEVICE_CODE + "\"");
        }
        JsonArrayBuilder kept = Jsons.createArrayBuilder();
        if (requested.contains(AUTHORIZATION_CODE)) {
            kept.add(AUTHORIZATION_CODE);
        }
        if (requested.contains(REFRESH_TOKEN)) {
            kept.add(REFRESH_TOKEN);
        }
        if (requested.contains(DEVICE_CODE)) {
            kept.add(DEVICE_CODE);
        }
        return kept.build();
    }

    /** {@code client_uri}: https, a host, no user information; answers the host in lower case. */
    private static String clientHost(String clientUri) {
        URI uri = uri("client_uri", clientUri, false);
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw OAuthException.invalidClientMetadata("client_uri must be an https URL with a host and no user information");
        }
        if (uri.getRawFragment() != null) {
            throw OAuthException.invalidClientMetadata("client_uri must not have a fragment");
        }
        return uri.getHost().toLowerCase(Locale.ROOT);
    }

    /** {@code logo_uri}, {@code tos_uri}, {@code policy_uri}: https on client_uri's host or a subdomain. */
    private static void hostedUri(String name, String value, String clientHost) {
        URI uri = uri(name, value, false);
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || !underHost(uri.getHost(), clientHost)) {
            throw OAuthException.invalidClientMetadata(name + " must be an https URL on " + clientHost
                    + " or one of its subdomains");
        }
    }

    /** Spec "Redirect URI validation" (RFC 8252 section 7 for native clients). */
    static void redirectUri(String value, String applicationType, String clientHost) {
        URI uri = uri("redirect_uri", value, true);
        if (uri.getRawFragment() != null) {
            throw OAuthException.invalidRedirectUri("redirect_uri must not have a fragment: " + value);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            // Web clients, and native clients with a claimed https URI: the same rules.
            if (uri.getHost() == null || uri.getRawUserInfo() != null || !underHost(uri.getHost(), clientHost)) {
                throw OAuthException.invalidRedirectUri("https redirect_uri must be on " + clientHost
                        + " or one of its subdomains, without user information: " + value);
            }
            return;
        }
        if (applicationType.equals(OAuthClient.WEB)) {
            throw OAuthException.invalidRedirectUri("A web client's redirect_uri must use https: " + value);
        }
        if (scheme.equals("http")) {
            if (uri.getHost() == null || !TurnkeyConfig.isLoopback(uri.getHost()) || uri.getRawUserInfo() != null) {
                throw OAuthException.invalidRedirectUri("An http redirect_uri must be on the loopback interface"
                        + " (localhost, 127.0.0.1 or [::1]): " + value);
            }
            if (uri.getPort() != -1) {
                // RFC 8252 section 7.3: the port is chosen when the app runs; any is accepted then.
                throw OAuthException.invalidRedirectUri("A loopback redirect_uri is registered without a port: " + value);
            }
            return;
        }
        String reversed = reverseDns(clientHost);
        if (!scheme.equals(reversed) && !scheme.startsWith(reversed + ".")) {
            throw OAuthException.invalidRedirectUri("A private-use scheme must be " + reversed + " or start with "
                    + reversed + ". (client_uri's host in reverse-DNS notation): " + value);
        }
        if (value.substring(scheme.length() + 1).startsWith("//")) {
            throw OAuthException.invalidRedirectUri("A private-use scheme redirect_uri has no authority"
                    + " (one slash or none after the scheme): " + value);
        }
    }

    private static String reverseDns(String host) {
        List<String> labels = new ArrayList<>(List.of(host.split("\\.")));
        Collections.reverse(labels);
        return String.join(".", labels);
    }

    /** The host itself or a subdomain of it (by whole labels: {@code badexample.com} is not under {@code example.com}). */
    private static boolean underHost(String host, String base) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals(base) || h.endsWith("." + base);
    }

    private static URI uri(String name, String value, boolean redirect) {
        if (value.length() > MAX_URI) {
            throw redirect ? OAuthException.invalidRedirectUri(name + " is longer than " + MAX_URI)
                    : OAuthException.invalidClientMetadata(name + " is longer than " + MAX_URI);
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null) {
                throw new URISyntaxException(value, "not absolute");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw redirect ? OAuthException.invalidRedirectUri(name + " is not an absolute URI: " + value)
                    : OAuthException.invalidClientMetadata(name + " is not an absolute URI");
        }
    }

    private static String optionalString(JsonObject request, String name) {
        JsonValue value = request.get(name);
        return value == null || value == JsonValue.NULL ? null : string(name, value);
    }

    private static String string(String name, JsonValue value) {
        if (!(value instanceof JsonString s)) {
            throw OAuthException.invalidClientMetadata(name + " must be a string");
        }
        if (!Text.acceptable(s.getString())) {
            throw OAuthException.invalidClientMetadata(name + " must not contain U+0000");
        }
        return s.getString();
    }

    private static List<String> optionalStrings(JsonObject request, String name) {
        JsonValue value = request.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            throw OAuthException.invalidClientMetadata(name + " must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonValue item : array) {
            strings.add(string(name, item));
        }
        return strings;
    }
}
