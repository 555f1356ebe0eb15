package org.turnkey.oauth.device;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.Locale;

/**
 * One device authorisation request (RFC 8628 section 3.1): the device code the client polls
 * with and the user code the user types, both stored by their SHA-256 only, the client and scope
 * it is for, and how far it got ({@link Status}). {@link DeviceGrantPolicy} decides every change.
 */
@Entity
@Table(name = "oauth_device_codes")
public class DeviceAuthorization {

    /** Where a request stands; redeemed is final, denied too. */
    public enum Status { PENDING, APPROVED, DENIED, REDEEMED }

    @Id
    @Column(name = "device_code_hash")
    private String deviceCodeHash;

    @Column(name = "user_code_hash")
    private String userCodeHash;

    @Column(name = "client_id")
    private String clientId;

    private String scope;

    @Column(name = "created_ts")
    private long createdTs;

    @Column(name = "expires_ts")
    private long expiresTs;

    private String status;

    @Column(name = "poll_interval")
    private int pollInterval;

    @Column(name = "last_polled_ts")
    private Long lastPolledTs;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "decided_ts")
    private Long decidedTs;

    @Column(name = "session_id")
    private Long sessionId;

    protected DeviceAuthorization() {
    }

    public DeviceAuthorization(String deviceCodeHash, String userCodeHash, String clientId, String scope,
                               long createdTs, long expiresTs, int pollInterval) {
        this.deviceCodeHash = deviceCodeHash;
        this.userCodeHash = userCodeHash;
        this.clientId = clientId;
        this.scope = scope;
        this.createdTs = createdTs;
        this.expiresTs = expiresTs;
        this.pollInterval = pollInterval;
        this.status = Status.PENDING.name().toLowerCase(Locale.ROOT);
    }

    public String deviceCodeHash() { return deviceCodeHash; }
    public String userCodeHash() { return userCodeHash; }
    public String clientId() { return clientId; }
    public String scope() { return scope; }
    public long createdTs() { return createdTs; }
    public long expiresTs() { return expiresTs; }
    public Status status() { return Status.valueOf(status.toUpperCase(Locale.ROOT)); }
    public int pollInterval() { return pollInterval; }
    public Long lastPolledTs() { return lastPolledTs; }
    public String userId() { return userId; }
    public Long decidedTs() { return decidedTs; }
    public Long sessionId() { return sessionId; }

    void polled(long now, int interval) {
        this.lastPolledTs = now;
        this.pollInterval = interval;
    }

    void decided(Status decision, String userId, long now) {
        this.status = decision.name().toLowerCase(Locale.ROOT);
        this.userId = userId;
        this.decidedTs = now;
    }

    void redeemed(long sessionId) {
        this.status = Status.REDEEMED.name().toLowerCase(Locale.ROOT);
        this.sessionId = sessionId;
    }
}
