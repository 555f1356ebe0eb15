package org.turnkey.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Who is calling: filled by {@link AccessTokenFilter}, injected by resources that need it. The
 * identity is an attribute of the current request (the injected request is the container's
 * proxy to it), which is cheaper than a request-scoped bean created on every request.
 */
@ApplicationScoped
public class Requester {

    private static final String ATTRIBUTE = Requester.class.getName();

    private record Identity(String userId, String deviceId, long sessionId, boolean oauth) {
    }

    @Inject
    HttpServletRequest request;

    void set(String userId, String deviceId, long sessionId, boolean oauth) {
        request.setAttribute(ATTRIBUTE, new Identity(userId, deviceId, sessionId, oauth));
    }

    /** Whether the request carried a valid access token (false only on an optionally authenticated endpoint). */
    public boolean present() {
        return request.getAttribute(ATTRIBUTE) instanceof Identity;
    }

    public String userId() {
        return identity().userId();
    }

    public String deviceId() {
        return identity().deviceId();
    }

    public long sessionId() {
        return identity().sessionId();
    }

    /**
     * Whether the caller authenticated with a token issued through the OAuth 2.0 API; false on
     * an endpoint that needs no token.
     */
    public boolean oauth() {
        return request.getAttribute(ATTRIBUTE) instanceof Identity identity && identity.oauth();
    }

    private Identity identity() {
        if (!(request.getAttribute(ATTRIBUTE) instanceof Identity identity)) {
            throw new IllegalStateException("Endpoint is not @Authenticated");
        }
        return identity;
    }
}
