package org.turnkey.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.turnkey.token.AccessTokenCache;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps every instance's {@link AccessTokenCache} exact when Turnkey runs on several Payara
 * instances: revoked token hashes go to every other member through Payara's Hazelcast data
 * grid, and the revoking request waits until each member has evicted them, so a revoked token
 * is refused everywhere by the time the client hears the revocation succeeded. Messages carry
 * only strings, so no application class crosses the grid. Without a cluster this does nothing.
 */
@ApplicationScoped
public class ClusterInvalidation {

    private static final Logger LOG = Logger.getLogger(ClusterInvalidation.class.getName());
    private static final long ACK_TIMEOUT_MS = 3_000;

    @Inject
    AccessTokenCache cache;

    /** Null without a data grid. No Hazelcast type appears here: CDI reflects on this class everywhere. */
    private HazelcastGrid grid;
    private String self;
    private final Map<String, CountDownLatch> pending = new ConcurrentHashMap<>();

    /** Listeners must exist on every member before any token is revoked anywhere. */
    void start(@Observes @Priority(2) @Initialized(ApplicationScoped.class) Object started) {
        LOG.info(() -> grid == null ? "No data grid: token cache invalidation is local"
                : "Token cache invalidation through the data grid, member " + self);
    }

    @PostConstruct
    void connect() {
        try {
            grid = HazelcastGrid.of(new InitialContext().lookup("payara/Hazelcast"));
        } catch (NamingException | ClassCastException | NoClassDefFoundError e) {
            grid = null;
        }
        if (grid != null) {
            self = grid.self();
            grid.subscribe(this::onRevocation, this::onAck);
        }
    }

    /** Evicts the hashes on every other member and returns once all have confirmed (or timed out). */
    public void broadcast(Collection<String> hashes) {
        if (grid == null || hashes.isEmpty()) {
            return;
        }
        int others = grid.others();
        if (others == 0) {
            return;
        }
        String id = UUID.randomUUID().toString();
        CountDownLatch confirmed = new CountDownLatch(others);
        pending.put(id, confirmed);
        try {
            grid.publishRevocation(self + "|" + id + "|" + String.join(",", hashes));
            if (!confirmed.await(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "Token revocation not confirmed by " + confirmed.getCount()
                        + " member(s) within " + ACK_TIMEOUT_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pending.remove(id);
        }
    }

    private void onRevocation(String message) {
        String[] parts = message.split("\\|", 3);
        if (parts.length != 3 || parts[0].equals(self)) {
            return;
        }
        List<String> hashes = parts[2].isEmpty() ? List.of() : Arrays.asList(parts[2].split(","));
        cache.invalidate(hashes);
        grid.publishAck(parts[0] + "|" + parts[1] + "|" + self);
    }

    private void onAck(String message) {
        String[] parts = message.split("\\|", 3);
        if (parts.length == 3 && parts[0].equals(self)) {
            CountDownLatch latch = pending.get(parts[1]);
            if (latch != null) {
                latch.countDown();
            }
        }
    }
}
