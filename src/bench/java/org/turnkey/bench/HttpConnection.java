package org.turnkey.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One keep-alive HTTP/1.1 connection with blocking I/O. Deliberately minimal, so that on a
 * machine the load generator shares with the server it spends as little CPU as possible.
 */
final class HttpConnection implements AutoCloseable {

    record Response(int status, String body) {
    }

    /** Requests sent to each port by this JVM's connections, for P6 (Footprint). */
    private static final Map<Integer, LongAdder> SENT = new ConcurrentHashMap<>();

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    Response get(String path, String token) throws IOException {
        StringBuilder head = new StringBuilder(256).append("GET ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        return exchange(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    }

    Response post(String path, String json) throws IOException {
        return post(path, "application/json", json);
    }

    /** A form post ({@code application/x-www-form-urlencoded}), as OAuth token endpoints take. */
    Response postForm(String path, String form) throws IOException {
        return post(path, "application/x-www-form-urlencoded", form);
    }

    private Response post(String path, String contentType, String content) throws IOException {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ':' + port
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head8.length + body.length];
        System.arraycopy(head8, 0, request, 0, head8.length);
        System.arraycopy(body, 0, request, head8.length, body.length);
        return exchange(request);
    }

    /** Requests this JVM has sent to the server at {@code base}. */
    static long sent(URI base) {
        LongAdder n = SENT.get(base.getPort());
        return n == null ? 0 : n.sum();
    }

    private Response exchange(byte[] request) throws IOException {
        SENT.computeIfAbsent(port, p -> new LongAdder()).increment();
        boolean reused = socket != null;
        if (!reused) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            // A server may close an idle keep-alive connection at any time; as HTTP clients do,
            // send the request again once on a new connection (every request here may be repeated).
            if (reused && e instanceof ServerClosed) {
                return exchange(request);
            }
            throw e;
        }
    }

    /** The server closed the connection before the first byte of a response. */
    private static final class ServerClosed extends IOException {
        ServerClosed() {
            super("Connection closed by server");
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        in = new BufferedInputStream(socket.getInputStream(), 16384);
        out = socket.getOutputStream();
    }

    private Response read() throws IOException {
        String statusLine = line(true);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String header; !(header = line(false)).isEmpty(); ) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(line(false).split(";")[0].trim(), 16)) > 0; ) {
                all.write(in.readNBytes(size));
                line(false);
            }
            while (!line(false).isEmpty()) {
                // Trailers: none expected, skipped.
            }
            body = all.toByteArray();
        } else if (length >= 0) {
            body = in.readNBytes(length);
        } else {
            body = in.readAllBytes();
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private String line(boolean statusLine) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw statusLine && line.length() == 0 ? new ServerClosed() : new IOException("Connection closed by server");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
            socket = null;
        }
    }
}
