package org.turnkey.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser for the OAuth pages: cookies kept, redirects not followed (each one is asserted),
 * HTML read with regular expressions over the form contract (ids and names other tests rely on).
 * Turnkey's absolute URLs use {@code turnkey.public-base-url}, which in tests is not the random
 * port Payara listens on, so they are re-based onto the server under test.
 */
public final class PageBrowser {

    public static final String PUBLIC_BASE = "http://localhost:8008/";

    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private final String base;

    public PageBrowser(URL base) {
        String url = base.toString();
        this.base = url.endsWith("/") ? url : url + "/";
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public record Page(URI uri, int status, String body, HttpResponse<String> response) {

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public List<String> headers(String name) {
            return response.headers().allValues(name);
        }

        public String location() {
            return header("Location");
        }

        /** The hidden CSRF token of the form with this id. */
        public String csrf(String formId) {
            return unescape(group(form(formId), "name=\"csrf\" value=\"([^\"]*)\""));
        }

        /** The form's action, resolved against this page. */
        public URI action(String formId) {
            return uri.resolve(unescape(group(form(formId), "action=\"([^\"]*)\"")));
        }

        public String form(String formId) {
            return group(body, "(?s)(<form id=\"" + Pattern.quote(formId) + "\".*?</form>)");
        }

        public boolean hasForm(String formId) {
            return body.contains("<form id=\"" + formId + "\"");
        }

        /** The value attribute of an input, unescaped. */
        public String inputValue(String formId, String name) {
            Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\"[^>]*?value=\"([^\"]*)\"", Pattern.DOTALL)
                    .matcher(form(formId));
            return m.find() ? unescape(m.group(1)) : null;
        }

        @Override
        public String toString() {
            return status + " " + uri + " Location=" + location() + "\n" + body;
        }
    }

    /** GET a path under the server, or one of Turnkey's absolute URLs. */
    public Page get(String pathOrUrl) {
        URI uri = rebase(pathOrUrl);
        return send(uri, HttpRequest.newBuilder(uri).GET());
    }

    public Page get(URI uri) {
        return get(uri.toString());
    }

    /** POST a form, as a browser submits one. */
    public Page post(URI action, Map<String, String> fields) {
        URI uri = rebase(action.toString());
        return send(uri, HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields))));
    }

    /** Submits form {@code formId} of {@code page} with its CSRF token and these fields. */
    public Page submit(Page page, String formId, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("csrf", page.csrf(formId));
        all.putAll(fields);
        return post(page.action(formId), all);
    }

    public List<HttpCookie> cookies() {
        return cookies.getCookieStore().getCookies();
    }

    public void forget(String cookieName) {
        for (HttpCookie c : List.copyOf(cookies.getCookieStore().getCookies())) {
            if (c.getName().equals(cookieName)) {
                cookies.getCookieStore().getURIs().forEach(u -> cookies.getCookieStore().remove(u, c));
                cookies.getCookieStore().remove(null, c);
            }
        }
    }

    private URI rebase(String pathOrUrl) {
        String s = pathOrUrl;
        if (s.startsWith(PUBLIC_BASE)) {
            s = s.substring(PUBLIC_BASE.length());
        }
        if (s.startsWith(base)) {
            return URI.create(s);
        }
        if (s.startsWith("/")) {
            s = s.substring(1);
        }
        return URI.create(base + s);
    }

    private Page send(URI uri, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Page(uri, response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String encode(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    /** The parameters of a redirect to the client: its query, or its fragment. */
    public static Map<String, String> params(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    static String unescape(String html) {
        return html == null ? null : html.replace("&#034;", "\"").replace("&#039;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("No match for " + regex + " in:\n" + text);
        }
        return m.group(1);
    }
}
