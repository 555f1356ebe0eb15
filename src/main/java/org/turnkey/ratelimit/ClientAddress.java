package org.turnkey.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The address of the client making the current request: the TCP peer address. Behind a reverse
 * proxy every client shares the proxy's address; see the README. The injected request is the
 * container's proxy to the current one, so one instance serves every request.
 */
@ApplicationScoped
public class ClientAddress {

    @Inject
    HttpServletRequest request;

    public String get() {
        try {
            String address = request.getRemoteAddr();
            return address == null || address.isEmpty() ? "unknown" : address;
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
