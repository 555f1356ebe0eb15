package org.turnkey.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: for requests no HTTP client library will send
 * (bad escapes, NUL bytes, missing Host, odd versions). One connection per request; the answer
 * is read until the server closes the connection, the announced length is complete, or the
 * timeout passes.
 */
public final class RawHttp {

    /** How long to wait for more of a body whose length the answer does not give. */
    private static final int UNKNOWN_LENGTH_WAIT = 1000;

    private final String host;
    private final int port;

    public RawHttp(URL base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    /** What came back: {@code status} is -1 when the connection closed or timed out with no answer. */
    public record Answer(int status, Map<String, String> headers, byte[] body, boolean timedOut) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as a JSON object, or null if it is not one. */
        public JsonObject json() {
            if (body.length == 0) {
                return null;
            }
            try (JsonReader reader = Json.createReader(new StringReader(text()))) {
                JsonValue value = reader.readValue();
                return value instanceof JsonObject o ? o : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** The spec's standard error response: a JSON object with string {@code errcode} and {@code error}. */
        public boolean isMatrixError() {
            JsonObject json = json();
            return json != null
                    && json.get("errcode") instanceof jakarta.json.JsonString
                    && json.get("error") instanceof jakarta.json.JsonString
                    && header("content-type") != null && header("content-type").startsWith("application/json");
        }

        @Override
        public String toString() {
            String shown = body.length > 300 ? new String(body, 0, 300, StandardCharsets.UTF_8) + "..." : text();
            return (status == -1 ? (timedOut ? "no answer (timed out)" : "no answer (closed)") : status + " " + headers + " " + shown);
        }
    }

    public Answer send(byte[] request, int timeoutMillis) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before reading all of a request it refuses.
            }
            return read(socket);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reach " + host + ":" + port + ": " + e, e);
        }
    }

    public Answer send(String request, int timeoutMillis) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1), timeoutMillis);
    }

    private static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean timedOut = false;
        boolean lengthUnknown = false;
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                received.write(buffer, 0, n);
                byte[] bytes = received.toByteArray();
                if (complete(bytes)) {
                    break;
                }
                if (!lengthUnknown && headerEnd(bytes) >= 0) {
                    // No length and no chunks: the body runs to the close. Container refusals of
                    // this kind have none, and some keep the connection open until the idle timeout.
                    lengthUnknown = true;
                    socket.setSoTimeout(UNKNOWN_LENGTH_WAIT);
                }
            }
        } catch (SocketTimeoutException e) {
            timedOut = !lengthUnknown;
        } catch (IOException e) {
            // A reset after the answer: what arrived is what counts.
        }
        return parse(received.toByteArray(), timedOut);
    }

    private static int headerEnd(byte[] bytes) {
        for (int i = 0; i + 3 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean complete(byte[] bytes) {
        int end = headerEnd(bytes);
        if (end < 0) {
            return false;
        }
        Map<String, String> headers = headers(new String(bytes, 0, end, StandardCharsets.ISO_8859_1));
        String length = headers.get("content-length");
        if (length != null) {
            return bytes.length - end - 4 >= Long.parseLong(length.trim());
        }
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            String tail = new String(bytes, end, bytes.length - end, StandardCharsets.ISO_8859_1);
            return tail.endsWith("\r\n0\r\n\r\n");
        }
        return false;
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static Answer parse(byte[] bytes, boolean timedOut) {
        int end = headerEnd(bytes);
        if (end < 0) {
            return new Answer(-1, Map.of(), bytes, timedOut);
        }
        String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        String[] statusLine = head.split("\r\n", 2)[0].split(" ", 3);
        int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
        Map<String, String> headers = headers(head);
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body, timedOut);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int lineEnd = i;
            while (lineEnd + 1 < chunked.length && !(chunked[lineEnd] == '\r' && chunked[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            int size = Integer.parseInt(new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            i = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
