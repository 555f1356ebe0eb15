package org.turnkey.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What a chain of tokens authenticates: user + device + client + scope. The legacy login API
 * keeps one per device with no client or scope; the OAuth 2.0 API will fill both.
 */
@Entity
@Table(name = "auth_sessions")
public class AuthSession {

    @Id
    private long id;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "device_id")
    private String deviceId;

    @Column(name = "client_id")
    private String clientId;

    private String scope;

    @Column(name = "created_ts")
    private long createdTs;

    protected AuthSession() {
    }

    public AuthSession(long id, String userId, String deviceId, String clientId, String scope, long createdTs) {
        this.id = id;
        this.userId = userId;
        this.deviceId = deviceId;
        this.clientId = clientId;
        this.scope = scope;
        this.createdTs = createdTs;
    }

    public long id() { return id; }
    public String userId() { return userId; }
    public String deviceId() { return deviceId; }
    public String clientId() { return clientId; }
    /** The granted OAuth 2.0 scope; null for a legacy session. */
    public String scope() { return scope; }
    /** Whether the session was started through the OAuth 2.0 API (spec "OAuth 2.0 API"). */
    public boolean oauth() { return clientId != null; }
}
