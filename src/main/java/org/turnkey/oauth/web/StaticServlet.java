package org.turnkey.oauth.web;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The pages' one stylesheet, {@code /_turnkey/static/turnkey.css}. Served from the classpath by
 * this servlet because Jersey is mapped at {@code /*}, so the container's default servlet never
 * sees a request; an exact mapping wins over Jersey's. CSP allows styles from 'self' only, and
 * no inline style, so all styling lives here.
 */
@WebServlet("/_turnkey/static/turnkey.css")
public class StaticServlet extends HttpServlet {

    private static final byte[] CSS = load();

    private static byte[] load() {
        try (InputStream in = StaticServlet.class.getResourceAsStream("turnkey.css")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/css");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // Not secret, changes only with a release: an hour in the browser's cache is fine.
        response.setHeader("Cache-Control", "public, max-age=3600");
        response.setContentLength(CSS.length);
        response.getOutputStream().write(CSS);
    }
}
