package org.turnkey.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A local account. The user ID is stored lower-cased and never reused. */
@Entity
@Table(name = "users")
public class User {

    @Id
    @Column(name = "user_id")
    private String userId;

    @Column(name = "password_hash")
    private String passwordHash;

    private boolean admin;
    private boolean deactivated;
    private boolean locked;

    @Column(name = "created_ts")
    private long createdTs;

    protected User() {
    }

    public User(String userId, String passwordHash, long createdTs) {
        this.userId = userId;
        this.passwordHash = passwordHash;
        this.createdTs = createdTs;
    }

    public String userId() { return userId; }
    public String passwordHash() { return passwordHash; }
    public void passwordHash(String hash) { this.passwordHash = hash; }
    public boolean admin() { return admin; }
    public void admin(boolean admin) { this.admin = admin; }
    public boolean deactivated() { return deactivated; }
    public void deactivate() { this.deactivated = true; this.passwordHash = null; }
    public void reactivate(String passwordHash) { this.deactivated = false; this.passwordHash = passwordHash; }
    public boolean locked() { return locked; }
    public void locked(boolean locked) { this.locked = locked; }
    public long createdTs() { return createdTs; }
}
