package org.turnkey.api;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.RawHttp;
import org.turnkey.support.RawHttp.Answer;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;

/**
 * Bounded fuzzing over raw sockets (spec "API Standards" and "Standard error response"): bodies,
 * paths, headers and request lines, malformed on purpose, against every endpoint. For each
 * answer:
 * <ul>
 *   <li>never a 5xx (505 only for an HTTP version the request made up);</li>
 *   <li>an error is the spec's {@code {"errcode","error"}} JSON object (a user-interactive
 *       auth challenge, 401 with {@code flows} and {@code session}, is the spec's other 401),
 *       unless the request carries one of the flaws docs/http.md lists as refused by the
 *       container, and then only with that flaw's documented status and an empty body;</li>
 *   <li>a request that is malformed gets no 2xx (except where Payara's URI decoder throws and
 *       Payara sends an empty 200, payara/Payara#8000: documented and counted);</li>
 *   <li>the server stays healthy: {@code /health/live} and a real login work throughout and at the end.</li>
 * </ul>
 * Every request is generated from the seed and its own index, so a failure names the request and
 * {@code -Dturnkey.fuzz.seed=SEED} replays the run; {@code -Dturnkey.fuzz.requests=N} sets its size.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpFuzzIT {

    private static final String PASSWORD = "correct horse battery";
    private static final int THREADS = 4;
    private static final int TIMEOUT = 60_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.standard();
    }

    @ArquillianResource
    URL base;

    /** A flaw the generator put in a request, and what docs/http.md says the container answers to it. */
    enum Flaw {
        /** Body that is not JSON, not UTF-8, too deep or with a number out of range: Turnkey's 400. */
        BAD_BODY(Set.of()),
        /**
         * Odd but parseable: a header line Grizzly may fold or skip, a Content-Length it may
         * ignore on a GET, extra spaces in the request line. Grizzly may refuse (400, no body) or
         * understand the request, and then Turnkey's answer, success included, is judged as usual.
         */
        LENIENT(Set.of(400)),
        /** %00, an invalid UTF-8 sequence, a NUL, control byte or backslash, a dot segment above the root. */
        INVALID_PATH(Set.of(400)),
        /** A percent sign without two hex digits: Payara answers 200 with no body (payara/Payara#8000). */
        MALFORMED_ESCAPE(Set.of(200, 400)),
        /** Dot segments: some paths ending in "/.." make Grizzly's normaliser throw, and Payara answers 200 with no body. */
        DOT_SEGMENTS(Set.of(200, 400)),
        /** Request line and headers over 16 KiB, more than 100 headers, a header value with bytes outside ASCII. */
        BAD_HEADERS(Set.of(400)),
        /** No Host header in HTTP/1.1. */
        NO_HOST(Set.of(400)),
        /** TRACE, disabled in the listener. */
        TRACE(Set.of(405)),
        /** An HTTP version other than 1.0 and 1.1. */
        BAD_VERSION(Set.of(400, 505)),
        /** A request line that is not method, target and version (one starting with a space gets 505). */
        BAD_REQUEST_LINE(Set.of(400, 505));

        boolean mayBeUnderstood() {
            return this == LENIENT;
        }

        final Set<Integer> containerStatuses;

        Flaw(Set<Integer> containerStatuses) {
            this.containerStatuses = containerStatuses;
        }
    }

    record Fuzzed(String description, byte[] bytes, Set<Flaw> flaws) {
    }

    private String token;
    private String deviceId;
    private String user;

    @Test
    void malformedRequestsGetMatrixErrorsAndNeverAServerError() throws Exception {
        long seed = Long.getLong("turnkey.fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("turnkey.fuzz.requests", 4000);
        System.out.println("HttpFuzzIT: seed " + seed + ", " + requests + " requests (replay with -Dturnkey.fuzz.seed=" + seed + ")");

        MatrixClient client = new MatrixClient(base);
        user = unique("fuzz");
        assertEquals(200, client.register(user, PASSWORD).status());
        MatrixClient.Reply login = client.login(user, PASSWORD);
        token = login.string("access_token");
        deviceId = login.string("device_id");

        RawHttp raw = new RawHttp(base);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger payaraEmpty200 = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        for (int i = 0; i < requests; i++) {
            int index = i;
            threads.execute(() -> {
                Fuzzed request = generate(new Random(seed * 1_000_003L + index));
                Answer answer;
                try {
                    answer = raw.send(request.bytes(), TIMEOUT);
                } catch (RuntimeException e) {
                    failures.add("#" + index + " " + request.description() + ": " + e);
                    return;
                }
                statuses.computeIfAbsent(Integer.toString(answer.status()), k -> new AtomicInteger()).incrementAndGet();
                String problem = check(request, answer);
                if (problem != null) {
                    failures.add("#" + index + " " + request.description() + ": " + problem + " -> " + answer);
                }
                if (answer.status() == 200 && answer.body().length == 0
                        && (request.flaws().contains(Flaw.MALFORMED_ESCAPE) || request.flaws().contains(Flaw.DOT_SEGMENTS))) {
                    payaraEmpty200.incrementAndGet();
                }
            });
            if (i % 500 == 499) {
                // Health while the fuzzing goes on: queued behind the requests already submitted.
                threads.execute(() -> {
                    MatrixClient.Reply live = client.get("/health/live");
                    if (live.status() != 200) {
                        failures.add("/health/live during the run: " + live);
                    }
                });
            }
        }
        threads.shutdown();
        assertTrue(threads.awaitTermination(10, TimeUnit.MINUTES), "fuzzing did not finish");
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("HttpFuzzIT: %d requests in %.1f s, statuses %s, %d empty 200s from Payara's URI decoder (payara/Payara#8000), %d failures%n",
                requests, seconds, new TreeMap<>(statuses), payaraEmpty200.get(), failures.size());

        failures.stream().limit(200).forEach(f -> System.out.println("HttpFuzzIT failure: " + f));
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests + " requests failed (seed " + seed + "):\n"
                + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        assertEquals(200, client.get("/health/live").status(), "/health/live after the run");
        assertEquals(200, client.whoami(token).status(), "the fuzzer's own session survives");
        assertEquals(200, client.login(user, PASSWORD).status(), "a real login after the run");
    }

    /** Why the answer breaks the rules, or null. */
    static String check(Fuzzed request, Answer answer) {
        int status = answer.status();
        Set<Flaw> flaws = request.flaws();
        if (status == -1) {
            boolean unparseable = flaws.contains(Flaw.BAD_REQUEST_LINE) || flaws.contains(Flaw.BAD_VERSION) || flaws.contains(Flaw.LENIENT);
            return unparseable ? null : "no answer";
        }
        boolean versionRefused = status == 505 && (flaws.contains(Flaw.BAD_VERSION) || flaws.contains(Flaw.BAD_REQUEST_LINE));
        if (status >= 500 && !versionRefused) {
            return "server error";
        }
        boolean containerRefusal = answer.body().length == 0
                && flaws.stream().anyMatch(f -> f.containerStatuses.contains(status));
        if (containerRefusal) {
            return null;
        }
        if (status >= 200 && status < 300) {
            return flaws.stream().allMatch(Flaw::mayBeUnderstood) ? null : "success for a malformed request";
        }
        if (status >= 400) {
            if (answer.isMatrixError()) {
                return null;
            }
            if (request.description().startsWith("request line HEAD ")) {
                // No body on HEAD, by definition: the headers of the error GET would have sent.
                String type = answer.header("content-type");
                return type != null && type.startsWith("application/json") ? null : "not a Matrix error's headers";
            }
            JsonObject json = answer.json();
            if (flaws.contains(Flaw.LENIENT) && json != null && json.get("errcode") instanceof jakarta.json.JsonString) {
                // An HTTP/0.9 request line: Grizzly answers in HTTP/1.1 but leaves out Content-Type.
                return null;
            }
            boolean uiaChallenge = status == 401 && json != null && json.containsKey("flows") && json.containsKey("session");
            return uiaChallenge ? null : "not a Matrix error";
        }
        return null;
    }

    // ---- the generator

    private static final String[][] ENDPOINTS = {
            // method, path, needs a token
            {"POST", "/_matrix/client/v3/login", ""},
            {"GET", "/_matrix/client/v3/login", ""},
            {"POST", "/_matrix/client/v3/register", ""},
            {"GET", "/_matrix/client/v3/register/available?username=x", ""},
            {"POST", "/_matrix/client/v3/refresh", ""},
            {"GET", "/_matrix/client/versions", ""},
            {"GET", "/_matrix/client/v3/capabilities", "t"},
            {"GET", "/_matrix/client/v3/account/whoami", "t"},
            {"POST", "/_matrix/client/v3/account/password", "t"},
            {"POST", "/_matrix/client/v3/account/deactivate", "t"},
            {"GET", "/_matrix/client/v3/devices", "t"},
            {"GET", "/_matrix/client/v3/devices/{device}", "t"},
            {"PUT", "/_matrix/client/v3/devices/{device}", "t"},
            {"DELETE", "/_matrix/client/v3/devices/{device}", "t"},
            {"POST", "/_matrix/client/v3/delete_devices", "t"},
            {"POST", "/_matrix/client/v1/login/get_token", "t"},
            {"GET", "/_matrix/client/v1/register/m.login.registration_token/validity?token=x", ""},
            {"GET", "/_synapse/admin/v1/register", ""},
            {"POST", "/_synapse/admin/v1/register", ""},
            {"GET", "/_synapse/admin/v2/users", "t"},
            {"PUT", "/_matrix/client/v1/admin/lock/{user}", "t"},
            {"POST", "/_matrix/client/v3/logout", "x"},
            {"POST", "/_matrix/client/v3/logout/all", "x"},
    };

    private static final String[] BODY_TEMPLATES = {
            "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"nobody\"},\"password\":\"wrong\"}",
            "{\"username\":\"u\",\"password\":\"p\",\"auth\":{\"type\":\"m.login.dummy\",\"session\":\"s\"}}",
            "{\"refresh_token\":\"r\"}",
            "{\"display_name\":\"phone\"}",
            "{\"devices\":[\"A\",\"B\"],\"auth\":{\"type\":\"m.login.password\",\"session\":\"s\"}}",
            "{\"new_password\":\"n\",\"logout_devices\":false}",
            "{\"locked\":true}",
            "{\"nonce\":\"n\",\"username\":\"u\",\"password\":\"p\",\"mac\":\"00\"}",
            "{}",
    };

    Fuzzed generate(Random random) {
        int kind = random.nextInt(100);
        if (kind < 45) {
            return bodyFuzz(random);
        } else if (kind < 70) {
            return pathFuzz(random);
        } else if (kind < 88) {
            return headerFuzz(random);
        }
        return requestLineFuzz(random);
    }

    private String[] endpoint(Random random) {
        return ENDPOINTS[random.nextInt(ENDPOINTS.length)];
    }

    private String path(String[] endpoint) {
        return endpoint[1].replace("{device}", deviceId).replace("{user}", "@" + user + ":localhost");
    }

    /** Authorization for the endpoint: the fuzzer's real token only where a fuzzed body cannot end its session. */
    private String authorization(String[] endpoint, Random random) {
        return switch (endpoint[2]) {
            case "t" -> random.nextInt(4) == 0 ? "Bearer not-a-token-" + random.nextInt(1000) : "Bearer " + token;
            case "x" -> "Bearer not-a-token-" + random.nextInt(1000);
            default -> random.nextInt(8) == 0 ? "Bearer " + token : null;
        };
    }

    private Fuzzed bodyFuzz(Random random) {
        String[] endpoint = endpoint(random);
        String method = endpoint[0].equals("GET") ? "POST" : endpoint[0];
        if (endpoint[0].equals("GET") && random.nextBoolean()) {
            method = "GET";
        }
        String template = BODY_TEMPLATES[random.nextInt(BODY_TEMPLATES.length)];
        byte[] body;
        String what;
        boolean bad = true;
        switch (random.nextInt(14)) {
            case 0 -> {
                int depth = 90 + random.nextInt(2000);
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                String close = open.equals("[") ? "]" : "}";
                body = ("{\"x\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
                what = "nested " + depth + " " + open;
                bad = depth + 1 > JsonBodyReader.MAX_DEPTH;
            }
            case 1 -> {
                String number = (random.nextBoolean() ? "-" : "") + (1 + random.nextInt(9)) + "E" + (random.nextBoolean() ? "+" : "-")
                        + (JsonBodyReader.MAX_EXPONENT + 1 + Math.abs(random.nextLong() % 99_999_999_999L));
                String text = template.replaceFirst(":\"[^\"]*\"", ":" + number);
                body = (text.equals(template) ? "{\"a\":" + number + "}" : text).getBytes(StandardCharsets.UTF_8);
                what = "number " + number;
            }
            case 2 -> {
                String text = template.substring(0, random.nextInt(template.length()));
                body = text.getBytes(StandardCharsets.UTF_8);
                what = "truncated";
                bad = !text.isBlank();
            }
            case 3 -> {
                body = mutateBytes(template.getBytes(StandardCharsets.UTF_8), random);
                what = "mutated bytes";
                bad = !isJsonObject(body);
            }
            case 4 -> {
                body = new byte[]{'{', '"', 'a', '"', ':', '"', (byte) (0x80 + random.nextInt(0x40)), '"', '}'};
                what = "invalid UTF-8";
            }
            case 5 -> {
                String[] others = {"[]", "null", "1", "\"s\"", "true", "[{}]", "{}{}", "{\"a\":1}x", "\uFEFF{}", "{'a':1}", "{\"a\":NaN}"};
                String text = others[random.nextInt(others.length)];
                body = text.getBytes(StandardCharsets.UTF_8);
                what = "not an object: " + text;
            }
            case 6 -> {
                // Well-formed JSON with wrong types and odd strings: the endpoints' own 400s.
                String[] values = {"1", "true", "null", "[]", "{}", "\"\\u0000\"", "\"\\ud800\"", "\"" + "x".repeat(random.nextInt(70_000)) + "\"",
                        "1.5", "-0", "9223372036854775808", "1e308"};
                String value = values[random.nextInt(values.length)];
                body = template.replaceAll(":\"[^\"]*\"", ":" + value.replace("\\", "\\\\").replace("$", "\\$")).getBytes(StandardCharsets.UTF_8);
                what = "wrong types " + (value.length() > 20 ? value.substring(0, 20) + "..." : value);
                bad = false;
            }
            case 7 -> {
                body = ("{\"a\":\"" + "y".repeat(1024 * 1024 + random.nextInt(1024)) + "\"}").getBytes(StandardCharsets.UTF_8);
                what = "over the body limit";
            }
            case 8 -> {
                body = new byte[random.nextInt(2000)];
                random.nextBytes(body);
                what = "random bytes";
                bad = !isJsonObject(body);
            }
            case 9 -> {
                body = ("{" + "\"k\":1,".repeat(random.nextInt(20_000)) + "\"k\":2}").getBytes(StandardCharsets.UTF_8);
                what = "duplicate keys";
                bad = false;
            }
            default -> {
                body = template.getBytes(StandardCharsets.UTF_8);
                what = "template";
                bad = false;
            }
        }
        String contentType = switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> "text/plain";
            case 2 -> "application/x-www-form-urlencoded";
            case 3 -> "application/json; charset=latin1";
            default -> "application/json";
        };
        boolean readsBody = !method.equals("GET") && !endpoint[1].contains("/logout");
        Set<Flaw> flaws = bad && readsBody ? Set.of(Flaw.BAD_BODY) : Set.of();
        String head = method + " " + path(endpoint) + " HTTP/1.1\r\nHost: localhost\r\n"
                + header("Authorization", authorization(endpoint, random))
                + header("Content-Type", contentType)
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        return new Fuzzed(method + " " + endpoint[1] + " body " + what, concat(head.getBytes(StandardCharsets.ISO_8859_1), body), flaws);
    }

    private Fuzzed pathFuzz(Random random) {
        String[] endpoint = endpoint(random);
        String path = path(endpoint);
        int at = path.indexOf('?') < 0 ? path.length() : path.indexOf('?');
        at = 1 + random.nextInt(at);
        String insert;
        Flaw flaw;
        switch (random.nextInt(11)) {
            case 0 -> {
                insert = "%00";
                flaw = Flaw.INVALID_PATH;
            }
            case 1 -> {
                String[] invalid = {"%ED%A0%80", "%C0%AF", "%FF", "%E2%82", "%80", "%F8%88%80%80%80"};
                insert = invalid[random.nextInt(invalid.length)];
                flaw = Flaw.INVALID_PATH;
            }
            case 2 -> {
                String[] bytes = {"\u0000", "\\", "\u0001", "\u007f"};
                insert = bytes[random.nextInt(bytes.length)];
                flaw = Flaw.INVALID_PATH;
            }
            case 3 -> {
                String[] malformed = {"%zz", "%", "%z", "%g0", "%%3", "%2", "%x1"};
                insert = malformed[random.nextInt(malformed.length)];
                flaw = Flaw.MALFORMED_ESCAPE;
            }
            case 4 -> {
                insert = "/../../..";
                flaw = Flaw.DOT_SEGMENTS;
            }
            case 5 -> {
                // Valid escapes of odd characters: Turnkey's own answers.
                String[] fine = {"%2F", "%20", "%C3%A9", "%F0%9F%98%80", "%25", "%3F", "%23", "%2e", "//", "/./", ";x=1"};
                insert = fine[random.nextInt(fine.length)];
                flaw = null;
            }
            case 6 -> {
                insert = "a".repeat(random.nextInt(15_000));
                flaw = null;
            }
            case 7 -> {
                insert = "\u00e9\u00ff";
                flaw = Flaw.INVALID_PATH;
            }
            default -> {
                String query = "?" + "a=%zz&b=%00&c=%ED%A0%80&d=\u00ff&e=".substring(0, random.nextInt(30));
                insert = null;
                path = path.contains("?") ? path + "&" + query.substring(1) : path + query;
                flaw = null;
            }
        }
        if (insert != null) {
            path = path.substring(0, at) + insert + path.substring(at);
        }
        // Turnkey may refuse the same path as the container would have (a 404 M_UNRECOGNIZED is fine).
        boolean tooLong = path.length() > 16_000;
        Set<Flaw> flaws = flaw == null ? (tooLong ? Set.of(Flaw.BAD_HEADERS) : Set.of()) : Set.of(flaw);
        String method = random.nextInt(3) == 0 ? endpoint[0] : "GET";
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + header("Authorization", authorization(endpoint, random))
                + (method.equals("GET") ? "" : "Content-Length: 2\r\n")
                + "Connection: close\r\n\r\n" + (method.equals("GET") ? "" : "{}");
        String shown = path.length() > 120 ? path.substring(0, 120) + "...(" + path.length() + ")" : path;
        return new Fuzzed(method + " path " + escape(shown), head.getBytes(StandardCharsets.ISO_8859_1), flaws);
    }

    private Fuzzed headerFuzz(Random random) {
        String[] endpoint = endpoint(random);
        String method = endpoint[0].equals("GET") ? "GET" : endpoint[0];
        StringBuilder headers = new StringBuilder();
        Set<Flaw> flaws = Set.of();
        String what;
        boolean host = true;
        switch (random.nextInt(9)) {
            case 0 -> {
                int size = random.nextInt(24 * 1024);
                headers.append("Authorization: Bearer ").append("a".repeat(size)).append("\r\n");
                what = "Authorization of " + size + " bytes";
                // Over 16 KiB in all is Grizzly's to refuse: measured once the request is complete, below.
            }
            case 1 -> {
                // Never the real token on a logout: that would end the fuzzer's session.
                String real = endpoint[2].equals("x") ? "not-a-token" : token;
                String[] auth = {"Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer " + real, "Bearer  a b", "Bearer \u00ff\u00fe",
                        "Token x", "Bearer " + real + "x", "Bearer" + real};
                String value = auth[random.nextInt(auth.length)];
                headers.append("Authorization: ").append(value).append("\r\n");
                what = "Authorization " + escape(value.replace(token, "TOKEN"));
                flaws = value.chars().anyMatch(c -> c > 0x7e) ? Set.of(Flaw.BAD_HEADERS) : Set.of();
            }
            case 2 -> {
                int count = 90 + random.nextInt(30);
                for (int i = 0; i < count; i++) {
                    headers.append("X-Fuzz-").append(i).append(": ").append(i).append("\r\n");
                }
                what = count + " extra headers";
                // Grizzly takes 100 headers; counted once the request is complete, below.
            }
            case 3 -> {
                host = false;
                what = "no Host";
                flaws = Set.of(Flaw.NO_HOST);
            }
            case 4 -> {
                String[] lines = {"NoColonHere", " folded: continuation", "X-A:\u0000b", "X-\u00ff: v", ": empty name"};
                String line = lines[random.nextInt(lines.length)];
                headers.append(line).append("\r\n");
                what = "header line " + escape(line);
                flaws = Set.of(Flaw.LENIENT);
            }
            case 5 -> {
                String[] values = {"-1", "abc", "1, 2", "99999999999999999999"};
                String value = values[random.nextInt(values.length)];
                headers.append("Content-Length: ").append(value).append("\r\n");
                what = "Content-Length " + value;
                flaws = Set.of(Flaw.LENIENT);
            }
            case 6 -> {
                headers.append("Transfer-Encoding: chunked\r\n");
                what = "chunked body";
                return new Fuzzed(method + " " + endpoint[1] + " " + what, (method + " " + path(endpoint) + " HTTP/1.1\r\nHost: localhost\r\n"
                        + header("Authorization", authorization(endpoint, random)) + headers
                        + "Connection: close\r\n\r\n" + "2\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), Set.of());
            }
            case 7 -> {
                String[] types = {"application/json", "*/*", "garbage", "application/json; charset=\"", "multipart/form-data; boundary="};
                String type = types[random.nextInt(types.length)];
                headers.append("Content-Type: ").append(type).append("\r\nAccept: ").append(type).append("\r\n");
                what = "Content-Type and Accept " + type;
            }
            default -> {
                headers.append("Origin: https://evil.example\r\nX-Forwarded-For: ").append("1.2.3.4, ".repeat(random.nextInt(50)))
                        .append("\r\nCookie: ").append("a=b; ".repeat(random.nextInt(100))).append("\r\n");
                what = "proxy and cookie headers";
            }
        }
        String head = method + " " + path(endpoint) + " HTTP/1.1\r\n" + (host ? "Host: localhost\r\n" : "")
                + (headers.indexOf("Authorization") < 0 ? header("Authorization", authorization(endpoint, random)) : "")
                + headers + (method.equals("GET") || headers.indexOf("Content-Length") >= 0 ? "" : "Content-Length: 2\r\n")
                + "Connection: close\r\n\r\n" + (method.equals("GET") || headers.indexOf("Content-Length") >= 0 ? "" : "{}");
        String headerBlock = head.substring(0, head.indexOf("\r\n\r\n") + 4);
        if (headerBlock.lines().count() - 2 > 100 || headerBlock.length() > 16 * 1024) {
            flaws = Set.of(Flaw.BAD_HEADERS);
        } else if (headerBlock.length() > 16 * 1024 - 256) {
            // Near the limit either answer is right: Grizzly's refusal or Turnkey's own.
            flaws = Set.of(Flaw.LENIENT);
        }
        return new Fuzzed(method + " " + endpoint[1] + " " + what, head.getBytes(StandardCharsets.ISO_8859_1), flaws);
    }

    private Fuzzed requestLineFuzz(Random random) {
        String[] endpoint = endpoint(random);
        String path = path(endpoint);
        String line;
        Set<Flaw> flaws;
        switch (random.nextInt(8)) {
            case 0 -> {
                line = "TRACE " + path + " HTTP/1.1";
                flaws = Set.of(Flaw.TRACE);
            }
            case 1 -> {
                // Grizzly serves HTTP/0.9 and HTTP/2.0 in an HTTP/1 request line as HTTP/1.1.
                String[] understood = {"HTTP/2.0", "HTTP/0.9"};
                String[] versions = {"HTTP/9.9", "HTTP/1.2", "HTTP/1.1x", "HTTPS/1.1", "http/1.1", "HTTP/3.0"};
                boolean lenient = random.nextInt(4) == 0;
                line = "GET " + path + " " + (lenient ? understood[random.nextInt(understood.length)] : versions[random.nextInt(versions.length)]);
                flaws = lenient ? Set.of(Flaw.LENIENT) : Set.of(Flaw.BAD_VERSION);
            }
            case 2 -> {
                String[] methods = {"FOO", "get", "PATCH", "PROPFIND", "M-SEARCH", "G\u00c9T"};
                line = methods[random.nextInt(methods.length)] + " " + path + " HTTP/1.1";
                flaws = Set.of();
            }
            case 3 -> {
                line = "GET http://localhost" + path + " HTTP/1.1";
                flaws = Set.of();
            }
            case 4 -> {
                String[] lenient = {"GET  " + path + " HTTP/1.1", "GET " + path + "  HTTP/1.1", "GET\t" + path + " HTTP/1.1"};
                String[] broken = {"GET * HTTP/1.1", "GET " + path.substring(1) + " HTTP/1.1", " GET " + path + " HTTP/1.1",
                        "CONNECT localhost:443 HTTP/1.1"};
                boolean understood = random.nextInt(3) == 0;
                line = understood ? lenient[random.nextInt(lenient.length)] : broken[random.nextInt(broken.length)];
                flaws = understood ? Set.of(Flaw.LENIENT) : Set.of(Flaw.BAD_REQUEST_LINE, Flaw.INVALID_PATH);
            }
            case 5 -> {
                line = "OPTIONS " + path + " HTTP/1.1";
                flaws = Set.of();
            }
            case 6 -> {
                line = "HEAD " + path + " HTTP/1.1";
                flaws = Set.of();
            }
            default -> {
                line = "GET " + path + " HTTP/1.0";
                flaws = Set.of();
            }
        }
        String head = line + "\r\nHost: localhost\r\n" + header("Authorization", authorization(endpoint, random)) + "Connection: close\r\n\r\n";
        return new Fuzzed("request line " + escape(line), head.getBytes(StandardCharsets.ISO_8859_1), flaws);
    }

    // ---- helpers

    private static String header(String name, String value) {
        return value == null ? "" : name + ": " + value + "\r\n";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] mutateBytes(byte[] bytes, Random random) {
        byte[] copy = bytes.clone();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static boolean isJsonObject(byte[] body) {
        try {
            JsonBodyReader.parse(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString());
            return true;
        } catch (RuntimeException | java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c >= 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
