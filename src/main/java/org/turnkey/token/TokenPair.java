package org.turnkey.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * An access token and, if the client supports refresh, its refresh token; only their SHA-256
 * hashes are stored. {@code parentId} is the pair whose refresh produced this one; {@code used}
 * turns true the first time either token of the pair is presented, which revokes the parent
 * ({@code ROTATED}, at {@code revokedTs}).
 */
@Entity
@Table(name = "token_pairs")
public class TokenPair {

    /** Why a pair stopped working. Every reason keeps the device, hence soft_logout: true. */
    public enum Revocation {
        /** Its successor was used: presenting its refresh token again is a replay. */
        ROTATED,
        /** The device logged in again. */
        RELOGIN,
        /** A replay of one of the device's refresh tokens was detected. */
        REPLAY,
        /** Revoked for the device by an account change (password change, admin). */
        ACCOUNT
    }

    @Id
    private long id;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "session_id")
    private AuthSession session;

    private int generation;

    @Column(name = "access_hash")
    private String accessHash;

    @Column(name = "refresh_hash")
    private String refreshHash;

    @Column(name = "rotation_salt")
    private String rotationSalt;

    @Column(name = "parent_id")
    private Long parentId;

    private boolean used;

    @Enumerated(EnumType.STRING)
    private Revocation revoked;

    /** When it was revoked, in ms since the epoch; null while live or if revoked before it was kept. */
    @Column(name = "revoked_ts")
    private Long revokedTs;

    @Column(name = "created_ts")
    private long createdTs;

    @Column(name = "access_expires_ts")
    private Long accessExpiresTs;

    @Column(name = "refresh_expires_ts")
    private Long refreshExpiresTs;

    protected TokenPair() {
    }

    public TokenPair(long id, AuthSession session, int generation, String accessHash, String refreshHash,
                     String rotationSalt, Long parentId, boolean used, long createdTs,
                     Long accessExpiresTs, Long refreshExpiresTs) {
        this.id = id;
        this.session = session;
        this.generation = generation;
        this.accessHash = accessHash;
        this.refreshHash = refreshHash;
        this.rotationSalt = rotationSalt;
        this.parentId = parentId;
        this.used = used;
        this.createdTs = createdTs;
        this.accessExpiresTs = accessExpiresTs;
        this.refreshExpiresTs = refreshExpiresTs;
    }

    public long id() { return id; }
    public AuthSession session() { return session; }
    public int generation() { return generation; }
    public String accessHash() { return accessHash; }
    public String refreshHash() { return refreshHash; }
    public String rotationSalt() { return rotationSalt; }
    public void rotationSalt(String salt) { this.rotationSalt = salt; }
    public Long parentId() { return parentId; }
    public boolean used() { return used; }
    public void markUsed() { this.used = true; }
    public Revocation revoked() { return revoked; }
    public Long revokedTs() { return revokedTs; }
    public void revoke(Revocation reason, Long at) {
        this.revoked = reason;
        this.revokedTs = at;
    }
    public long createdTs() { return createdTs; }
    public Long accessExpiresTs() { return accessExpiresTs; }
    public Long refreshExpiresTs() { return refreshExpiresTs; }
}
