package org.turnkey.uia;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A user-interactive auth session, stored so any instance can continue it, bound to the
 * operation (method and path) and user that started it.
 */
@Entity
@Table(name = "uia_sessions")
public class UiaSession {

    @Id
    @Column(name = "session_id")
    private String sessionId;

    private String operation;

    @Column(name = "user_id")
    private String userId;

    private String completed;

    @Column(name = "created_ts")
    private long createdTs;

    @Column(name = "expires_ts")
    private long expiresTs;

    /** The validated email session {@code m.login.email.identity} was completed with. */
    @Column(name = "email_sid")
    private String emailSid;

    protected UiaSession() {
    }

    public UiaSession(String sessionId, String operation, String userId, long createdTs, long expiresTs) {
        this.sessionId = sessionId;
        this.operation = operation;
        this.userId = userId;
        this.completed = "";
        this.createdTs = createdTs;
        this.expiresTs = expiresTs;
    }

    public String sessionId() { return sessionId; }
    public String operation() { return operation; }
    public String userId() { return userId; }
    public long expiresTs() { return expiresTs; }
    public String emailSid() { return emailSid; }
    public void emailSid(String sid) { this.emailSid = sid; }

    public Set<String> completed() {
        Set<String> stages = new LinkedHashSet<>();
        Arrays.stream(completed.split(",")).filter(s -> !s.isEmpty()).forEach(stages::add);
        return stages;
    }

    public void complete(String stage) {
        Set<String> stages = completed();
        stages.add(stage);
        completed = String.join(",", stages);
    }
}
