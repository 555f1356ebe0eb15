package org.turnkey.registration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A registration page's form waiting for its email address to be confirmed
 * ({@link EmailRegistrations}). Found by the SHA-256 of the key in the browser's cookie; holds
 * the password only as its Argon2id hash and the registration token only as SHA-256.
 */
@Entity
@Table(name = "pending_registrations")
public class PendingRegistration {

    @Id
    @Column(name = "key_hash")
    private String keyHash;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "password_hash")
    private String passwordHash;

    /** The email validation session ({@code EmailValidation}, purpose REGISTER) of the address. */
    @Column(name = "email_sid")
    private String emailSid;

    private String address;

    @Column(name = "registration_token_hash")
    private String registrationTokenHash;

    @Column(name = "created_ts")
    private long createdTs;

    @Column(name = "expires_ts")
    private long expiresTs;

    protected PendingRegistration() {
    }

    PendingRegistration(String keyHash, String userId, String passwordHash, String emailSid, String address,
                        String registrationTokenHash, long createdTs, long expiresTs) {
        this.keyHash = keyHash;
        this.userId = userId;
        this.passwordHash = passwordHash;
        this.emailSid = emailSid;
        this.address = address;
        this.registrationTokenHash = registrationTokenHash;
        this.createdTs = createdTs;
        this.expiresTs = expiresTs;
    }

    public String keyHash() { return keyHash; }
    public String userId() { return userId; }
    public String passwordHash() { return passwordHash; }
    public String emailSid() { return emailSid; }
    public String address() { return address; }
    public String registrationTokenHash() { return registrationTokenHash; }
    public long expiresTs() { return expiresTs; }
}
