package org.turnkey.email;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An email validation session (a {@code requestToken} call and the token it mailed). */
@Entity
@Table(name = "email_validations")
public class EmailValidation {

    /** What the validated address will be used for; a session serves only its own purpose. */
    public enum Purpose { ADD, REGISTER, RESET }

    @Id
    private String sid;

    @Column(name = "client_secret_hash")
    private String clientSecretHash;

    @Enumerated(EnumType.STRING)
    private Purpose purpose;

    private String address;

    /** For a password reset, the account the address belonged to (null: none did). */
    @Column(name = "user_id")
    private String userId;

    @Column(name = "send_attempt")
    private long sendAttempt;

    @Column(name = "token_hash")
    private String tokenHash;

    @Column(name = "created_ts")
    private long createdTs;

    @Column(name = "expires_ts")
    private long expiresTs;

    @Column(name = "validated_ts")
    private Long validatedTs;

    /** requestToken's {@code next_link} ({@link NextLinks}): where the page sends the browser once validated. */
    @Column(name = "next_link")
    private String nextLink;

    protected EmailValidation() {
    }

    public EmailValidation(String sid, String clientSecretHash, Purpose purpose, String address, String userId,
                           long sendAttempt, String tokenHash, long createdTs, long expiresTs, String nextLink) {
        this.sid = sid;
        this.clientSecretHash = clientSecretHash;
        this.purpose = purpose;
        this.address = address;
        this.userId = userId;
        this.sendAttempt = sendAttempt;
        this.tokenHash = tokenHash;
        this.createdTs = createdTs;
        this.expiresTs = expiresTs;
        this.nextLink = nextLink;
    }

    public String sid() { return sid; }
    public String clientSecretHash() { return clientSecretHash; }
    public Purpose purpose() { return purpose; }
    public String address() { return address; }
    public String userId() { return userId; }
    public long sendAttempt() { return sendAttempt; }
    public String tokenHash() { return tokenHash; }
    public long expiresTs() { return expiresTs; }
    public Long validatedTs() { return validatedTs; }
    public String nextLink() { return nextLink; }

    void resend(long sendAttempt, String tokenHash, String nextLink) {
        this.sendAttempt = sendAttempt;
        this.tokenHash = tokenHash;
        this.nextLink = nextLink;
    }

    void validated(long now) {
        this.validatedTs = now;
        this.tokenHash = null;
    }
}
