package org.turnkey.oauth.web;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A browser signed in to Turnkey's pages; only the SHA-256 of the cookie's value is stored. */
@Entity
@Table(name = "browser_sessions")
public class BrowserSession {

    @Id
    @Column(name = "id_hash")
    private String idHash;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "created_ts")
    private long createdTs;

    @Column(name = "authenticated_ts")
    private long authenticatedTs;

    @Column(name = "expires_ts")
    private long expiresTs;

    protected BrowserSession() {
    }

    public BrowserSession(String idHash, String userId, long now, long expiresTs) {
        this.idHash = idHash;
        this.userId = userId;
        this.createdTs = now;
        this.authenticatedTs = now;
        this.expiresTs = expiresTs;
    }

    public String idHash() { return idHash; }
    public String userId() { return userId; }
    public long authenticatedTs() { return authenticatedTs; }
    /** The password was entered again in this browser (the account pages' re-authentication). */
    public void authenticatedTs(long ts) { this.authenticatedTs = ts; }
    public long createdTs() { return createdTs; }
    public long expiresTs() { return expiresTs; }
}
