package org.turnkey.ratelimit;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The address of the client making the current request: the TCP peer address. Behind a reverse
 * proxy every client shares the proxy's address; see the README.
 */
@RequestScoped
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
