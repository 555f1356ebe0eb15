package org.turnkey.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;

import java.util.function.Consumer;

/**
 * The two string topics {@link ClusterInvalidation} talks through, on Payara's Hazelcast data
 * grid. Only this class names Hazelcast, and it is loaded only once the grid has been found, so
 * the WAR also deploys on servers without Hazelcast (WildFly).
 */
final class HazelcastGrid {

    private static final String REVOCATIONS = "turnkey.token-revocations";
    private static final String ACKS = "turnkey.token-revocation-acks";

    private final HazelcastInstance grid;
    private final ITopic<String> revocations;
    private final ITopic<String> acks;
    private final String self;

    private HazelcastGrid(HazelcastInstance grid) {
        this.grid = grid;
        self = grid.getCluster().getLocalMember().getUuid().toString();
        revocations = grid.getTopic(REVOCATIONS);
        acks = grid.getTopic(ACKS);
    }

    /** The grid found under payara/Hazelcast, or null when it is not running. */
    static HazelcastGrid of(Object found) {
        HazelcastInstance grid = (HazelcastInstance) found;
        return grid.getLifecycleService().isRunning() ? new HazelcastGrid(grid) : null;
    }

    void subscribe(Consumer<String> onRevocation, Consumer<String> onAck) {
        revocations.addMessageListener(message -> onRevocation.accept(message.getMessageObject()));
        acks.addMessageListener(message -> onAck.accept(message.getMessageObject()));
    }

    String self() {
        return self;
    }

    int others() {
        return (int) grid.getCluster().getMembers().stream().map(Member::getUuid)
                .filter(uuid -> !uuid.toString().equals(self)).count();
    }

    void publishRevocation(String message) {
        revocations.publish(message);
    }

    void publishAck(String message) {
        acks.publish(message);
    }
}
