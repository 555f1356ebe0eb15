package org.turnkey.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling: filled by {@link AccessTokenFilter}, injected by resources that need it. */
@RequestScoped
public class Requester {

    private String userId;
    private String deviceId;
    private long sessionId;

    void set(String userId, String deviceId, long sessionId) {
        this.userId = userId;
        this.deviceId = deviceId;
        this.sessionId = sessionId;
    }

    public String userId() {
        if (userId == null) {
            throw new IllegalStateException("Endpoint is not @Authenticated");
        }
        return userId;
    }

    public String deviceId() {
        userId();
        return deviceId;
    }

    public long sessionId() {
        userId();
        return sessionId;
    }
}
