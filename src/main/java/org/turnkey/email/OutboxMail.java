package org.turnkey.email;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A message waiting in the outbox. It carries the validation link (with its token) only until
 * it is sent or expires, when the row is deleted; log lines name its id and the recipient's
 * domain, never its body.
 */
@Entity
@Table(name = "mail_outbox")
public class OutboxMail {

    @Id
    private String id;

    private String recipient;

    private String subject;

    private String body;

    private int attempts;

    @Column(name = "next_attempt_ts")
    private long nextAttemptTs;

    @Column(name = "created_ts")
    private long createdTs;

    @Column(name = "expires_ts")
    private long expiresTs;

    protected OutboxMail() {
    }

    public OutboxMail(String id, String recipient, String subject, String body, long now, long expiresTs) {
        this.id = id;
        this.recipient = recipient;
        this.subject = subject;
        this.body = body;
        this.nextAttemptTs = now;
        this.createdTs = now;
        this.expiresTs = expiresTs;
    }

    void attempts(int attempts) { this.attempts = attempts; }

    public String id() { return id; }
    public String recipient() { return recipient; }
    public String subject() { return subject; }
    public String body() { return body; }
    public int attempts() { return attempts; }
    public long nextAttemptTs() { return nextAttemptTs; }
    public long expiresTs() { return expiresTs; }
}
