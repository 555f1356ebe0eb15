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

import java.util.logging.Level;
import java.util.logging.Logger;

/** After the access token is checked: notes that the token's device was seen (see {@link DeviceActivity}). */
@Provider
@Authenticated
@Priority(Priorities.AUTHENTICATION + 10)
public class DeviceActivityFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(DeviceActivityFilter.class.getName());

    @Inject
    Requester requester;

    @Inject
    ClientAddress client;

    @Inject
    DeviceActivity activity;

    @Override
    public void filter(ContainerRequestContext request) {
        try {
            activity.seen(requester.userId(), requester.deviceId(), client.get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record device activity", e);
        }
    }
}
