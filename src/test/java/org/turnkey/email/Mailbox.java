package org.turnkey.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
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
final class Mailbox {

    /** One received message, decoded. */
    record Mail(String to, String subject, String text) {

        /** The validation link in the text (with Turnkey's public base URL). */
        String link() {
            Matcher m = Pattern.compile("(http://\\S+/_turnkey/email/validate\\?\\S+)").matcher(text);
            if (!m.find()) {
                throw new AssertionError("no validation link in: " + text);
            }
            return m.group(1);
        }

        /** The code the text offers to clients that ask the user for it. */
        String token() {
            Matcher m = Pattern.compile("enter: (\\S+)").matcher(text);
            if (!m.find()) {
                throw new AssertionError("no code in: " + text);
            }
            return m.group(1);
        }
    }

    private final int port;
    private GreenMail server;

    Mailbox() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    int port() {
        return port;
    }

    synchronized void start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
    }

    /** SMTP down: the port refuses connections until {@link #start()}; what it had received is kept by no one. */
    synchronized void stop() {
        server.stop();
    }

    /** Every message received so far for this address (messages stay until the server stops). */
    synchronized List<Mail> to(String address) {
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
    Mail await(String address, int n, Duration timeout) {
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

    Mail await(String address) {
        return await(address, 1, Duration.ofSeconds(30));
    }
}
