package org.turnkey.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GreenMail, a real SMTP server, on a loopback port the tests pick: Turnkey's mail settings point
 * at it, and tests read what it received as a mail client would.
 */
public final class Mailbox {

    /** One received message, decoded. */
    public record Mail(String to, String subject, String text) {

        /** The validation link in the text (with Turnkey's public base URL). */
        public String link() {
            Matcher m = Pattern.compile("(http://\\S+/_turnkey/email/validate\\?\\S+)").matcher(text);
            if (!m.find()) {
                throw new AssertionError("no validation link in: " + text);
            }
            return m.group(1);
        }

        /** The code the text offers to clients that ask the user for it. */
        public String token() {
            Matcher m = Pattern.compile("enter: (\\S+)").matcher(text);
            if (!m.find()) {
                throw new AssertionError("no code in: " + text);
            }
            return m.group(1);
        }
    }

    private final int port;
    private final String user;
    private final String password;
    private GreenMail server;
    private HttpServer reader;

    public Mailbox() {
        this(freePort(), null, null);
    }

    /**
     * GreenMail on this loopback port; with a user, that SMTP login exists with this password, a
     * login with another password is refused, and so is mail from a client that did not log in.
     */
    public Mailbox(int port, String user, String password) {
        this.port = port;
        this.user = user;
        this.password = password;
        start();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The turnkey.mail.* keys of a deployment that sends its mail here, quickly retried. */
    public java.util.Map<String, String> settings() {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("turnkey.mail.enabled", "true");
        settings.put("turnkey.mail.host", "127.0.0.1");
        settings.put("turnkey.mail.port", Integer.toString(port()));
        settings.put("turnkey.mail.security", "none");
        settings.put("turnkey.mail.from", "Turnkey <noreply@localhost>");
        settings.put("turnkey.mail.retry-interval", "PT1S");
        settings.put("turnkey.mail.timeout", "PT5S");
        return settings;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        if (user != null) {
            server.setUser(user, user, password);
            // GreenMail takes mail without a login too; a server with a user refuses it (after DATA).
            UserManager users = server.getUserManager();
            MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
            users.setMessageDeliveryHandler((message, address) -> {
                if (message.getAuthenticationState() == null) {
                    throw new MessagingException("refused: this SMTP server requires a login (AUTH)");
                }
                return deliver.handle(message, address);
            });
        }
    }

    /** SMTP down: the port refuses connections until {@link #start()}; what it had received is kept by no one. */
    public synchronized void stop() {
        server.stop();
    }

    /** Stops the SMTP server and the HTTP endpoint. */
    public synchronized void close() {
        if (reader != null) {
            reader.stop(0);
            reader = null;
        }
        server.stop();
    }

    /**
     * A loopback HTTP endpoint for scripts run by the tests (node): {@code GET /mail?to=ADDRESS&n=N}
     * answers the text of the Nth message to that address, or 404 while there is none. Returns
     * its URL. Stopped with {@link #close()}.
     */
    public synchronized String serve() throws IOException {
        return serve(0);
    }

    /** {@link #serve()} on this loopback port (0: any free one). */
    public synchronized String serve(int httpPort) throws IOException {
        reader = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 0);
        reader.createContext("/mail", exchange -> {
            Map<String, String> query = new HashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            List<Mail> mails = to(query.getOrDefault("to", ""));
            int n = Integer.parseInt(query.getOrDefault("n", "1"));
            byte[] body = mails.size() >= n ? mails.get(n - 1).text().getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(body.length > 0 ? 200 : 404, body.length > 0 ? body.length : -1);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        reader.start();
        return "http://127.0.0.1:" + reader.getAddress().getPort() + "/mail";
    }

    /** Every message received so far for this address (messages stay until the server stops). */
    public synchronized List<Mail> to(String address) {
        List<Mail> found = new ArrayList<>();
        try {
            for (MimeMessage message : server.getReceivedMessages()) {
                for (var recipient : message.getRecipients(Message.RecipientType.TO)) {
                    if (recipient.toString().equalsIgnoreCase(address)) {
                        found.add(new Mail(address, message.getSubject(), message.getContent().toString().replace("\r\n", "\n")));
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Waits for the {@code n}th message to this address. */
    public Mail await(String address, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Mail> mails = to(address);
            if (mails.size() >= n) {
                return mails.get(n - 1);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no message #" + n + " to " + address + " within " + timeout);
    }

    public Mail await(String address) {
        return await(address, 1, Duration.ofSeconds(30));
    }
}
