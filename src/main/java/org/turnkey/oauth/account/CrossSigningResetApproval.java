package org.turnkey.oauth.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A user's approval, given on the account pages, to replace their cross-signing keys without
 * user-interactive auth until {@code expiresTs} (table {@code cross_signing_reset_approvals}).
 */
@Entity
@Table(name = "cross_signing_reset_approvals")
public class CrossSigningResetApproval {

    @Id
    @Column(name = "user_id")
    private String userId;

    @Column(name = "approved_ts")
    private long approvedTs;

    @Column(name = "expires_ts")
    private long expiresTs;

    protected CrossSigningResetApproval() {
    }

    public CrossSigningResetApproval(String userId, long approvedTs, long expiresTs) {
        this.userId = userId;
        this.approvedTs = approvedTs;
        this.expiresTs = expiresTs;
    }

    public String userId() { return userId; }
    public long approvedTs() { return approvedTs; }
    public long expiresTs() { return expiresTs; }

    void renew(long approvedTs, long expiresTs) {
        this.approvedTs = approvedTs;
        this.expiresTs = expiresTs;
    }
}
