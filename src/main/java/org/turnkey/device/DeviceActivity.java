package org.turnkey.device;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.config.TurnkeyConfig;

import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps {@code last_seen_ts} and {@code last_seen_ip} of devices current without a database
 * write per request: {@link LastSeenThrottle} lets through one write per device per
 * {@code turnkey.device.last-seen-interval} (default one minute) on each instance, or at once
 * when the device's address changes.
 */
@ApplicationScoped
public class DeviceActivity {

    private static final Logger LOG = Logger.getLogger(DeviceActivity.class.getName());

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    TurnkeyConfig config;

    @Inject
    Clock clock;

    private LastSeenThrottle throttle;

    @PostConstruct
    void init() {
        throttle = new LastSeenThrottle(config.deviceLastSeenInterval().toMillis());
    }

    /** Records that a device made a request from {@code ip}; never fails the request. */
    @Transactional
    public void seen(String userId, String deviceId, String ip) {
        long now = clock.millis();
        if (!throttle.shouldWrite(userId, deviceId, ip, now)) {
            return;
        }
        try {
            em.createQuery("UPDATE Device d SET d.lastSeenTs = :ts, d.lastSeenIp = :ip"
                            + " WHERE d.userId = :u AND d.deviceId = :d")
                    .setParameter("ts", now).setParameter("ip", ip)
                    .setParameter("u", userId).setParameter("d", deviceId)
                    .executeUpdate();
        } catch (RuntimeException e) {
            throttle.forget(userId, deviceId);
            LOG.log(Level.WARNING, "Could not record device activity", e);
        }
    }
}
