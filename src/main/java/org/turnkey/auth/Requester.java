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

    private record Identity(String userId, String deviceId, long sessionId) {
    }

    @Inject
    HttpServletRequest request;

    void set(String userId, String deviceId, long sessionId) {
        request.setAttribute(ATTRIBUTE, new Identity(userId, deviceId, sessionId));
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

    private Identity identity() {
        if (!(request.getAttribute(ATTRIBUTE) instanceof Identity identity)) {
            throw new IllegalStateException("Endpoint is not @Authenticated");
        }
        return identity;
    }
}
