package org.turnkey.email;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A validated email address of an account. Only {@code email} is stored, so the address alone identifies it. */
@Entity
@Table(name = "threepids")
public class Threepid {

    private String medium;

    @Id
    private String address;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "validated_ts")
    private long validatedTs;

    @Column(name = "added_ts")
    private long addedTs;

    protected Threepid() {
    }

    public Threepid(String address, String userId, long validatedTs, long addedTs) {
        this.medium = Emails.MEDIUM;
        this.address = address;
        this.userId = userId;
        this.validatedTs = validatedTs;
        this.addedTs = addedTs;
    }

    public String medium() { return medium; }
    public String address() { return address; }
    public String userId() { return userId; }
    public long validatedTs() { return validatedTs; }
    public long addedTs() { return addedTs; }
}
