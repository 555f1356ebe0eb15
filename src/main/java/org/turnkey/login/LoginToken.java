package org.turnkey.login;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A single-use {@code m.login.token}, stored by its SHA-256 only. */
@Entity
@Table(name = "login_tokens")
public class LoginToken {

    @Id
    @Column(name = "token_hash")
    private String tokenHash;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "created_ts")
    private long createdTs;

    @Column(name = "expires_ts")
    private long expiresTs;

    protected LoginToken() {
    }

    public LoginToken(String tokenHash, String userId, long createdTs, long expiresTs) {
        this.tokenHash = tokenHash;
        this.userId = userId;
        this.createdTs = createdTs;
        this.expiresTs = expiresTs;
    }

    public String tokenHash() { return tokenHash; }
    public String userId() { return userId; }
    public long expiresTs() { return expiresTs; }
}
