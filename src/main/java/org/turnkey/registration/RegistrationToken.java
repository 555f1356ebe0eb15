package org.turnkey.registration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An operator's registration token, stored by its SHA-256 only. */
@Entity
@Table(name = "registration_tokens")
public class RegistrationToken {

    @Id
    @Column(name = "token_hash")
    private String tokenHash;

    @Column(name = "uses_allowed")
    private Integer usesAllowed;

    private int completed;

    @Column(name = "expiry_ts")
    private Long expiryTs;

    @Column(name = "created_ts")
    private long createdTs;

    protected RegistrationToken() {
    }

    public RegistrationToken(String tokenHash, Integer usesAllowed, Long expiryTs, long createdTs) {
        this.tokenHash = tokenHash;
        this.usesAllowed = usesAllowed;
        this.expiryTs = expiryTs;
        this.createdTs = createdTs;
    }

    public String tokenHash() { return tokenHash; }
    public Integer usesAllowed() { return usesAllowed; }
    public int completed() { return completed; }
    public Long expiryTs() { return expiryTs; }

    /** {@code null}: unlimited. */
    public void usesAllowed(Integer usesAllowed) { this.usesAllowed = usesAllowed; }

    /** {@code null}: never expires. */
    public void expiryTs(Long expiryTs) { this.expiryTs = expiryTs; }

    /** Whether the token may still register an account at {@code now}. */
    public boolean validAt(long now) {
        return (usesAllowed == null || completed < usesAllowed) && (expiryTs == null || now < expiryTs);
    }
}
