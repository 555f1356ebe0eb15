package org.turnkey.device;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.ratelimit.ClientAddress;

/** After the access token is checked: notes that the token's device was seen (see {@link DeviceActivity}). */
@Provider
@Authenticated
@Priority(Priorities.AUTHENTICATION + 10)
public class DeviceActivityFilter implements ContainerRequestFilter {

    @Inject
    Requester requester;

    @Inject
    ClientAddress client;

    @Inject
    DeviceActivity activity;

    /** Longer user agents are cut to the column's size. */
    static final int MAX_USER_AGENT = 512;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!requester.present()) {
            return; // an optionally authenticated endpoint called without a token
        }
        String agent = request.getHeaderString("User-Agent");
        if (agent != null && agent.length() > MAX_USER_AGENT) {
            agent = agent.substring(0, MAX_USER_AGENT);
        }
        activity.seen(requester.userId(), requester.deviceId(), client.get(), agent);
    }
}
