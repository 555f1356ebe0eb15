package org.turnkey.device;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.turnkey.api.Jsons;

import java.io.Serializable;
import java.util.Objects;

/** A device of a user: what tokens, and later keys, belong to. */
@Entity
@Table(name = "devices")
@IdClass(Device.Key.class)
public class Device {

    @Id
    @Column(name = "user_id")
    private String userId;

    @Id
    @Column(name = "device_id")
    private String deviceId;

    @Column(name = "display_name")
    private String displayName;

    @Column(name = "last_seen_ts")
    private Long lastSeenTs;

    @Column(name = "last_seen_ip")
    private String lastSeenIp;

    @Column(name = "last_seen_user_agent")
    private String lastSeenUserAgent;

    @Column(name = "created_ts")
    private long createdTs;

    /** Holds an admin-issued token for the user (admin login-as): not listed to the user. */
    private boolean hidden;

    /** Which API created the device ({@link #LEGACY}, {@link #OAUTH}, {@link #OAUTH_DEVICE}); null if older. */
    @Column(name = "created_by")
    private String createdBy;

    /** The OAuth 2.0 client whose grant created the device; null for other devices. */
    @Column(name = "oauth_client_id")
    private String oauthClientId;

    /** Created by the legacy API: password, token or registration login, or an admin's login-as. */
    public static final String LEGACY = "legacy";
    /** Created by an OAuth 2.0 authorisation code grant. */
    public static final String OAUTH = "oauth";
    /** Created by an OAuth 2.0 device authorisation grant (RFC 8628). */
    public static final String OAUTH_DEVICE = "oauth-device";

    protected Device() {
    }

    public Device(String userId, String deviceId, String displayName, long createdTs) {
        this.userId = userId;
        this.deviceId = deviceId;
        this.displayName = displayName;
        this.createdTs = createdTs;
    }

    public String userId() { return userId; }
    public String deviceId() { return deviceId; }
    public String displayName() { return displayName; }
    public void displayName(String displayName) { this.displayName = displayName; }
    public Long lastSeenTs() { return lastSeenTs; }
    public String lastSeenIp() { return lastSeenIp; }
    public String lastSeenUserAgent() { return lastSeenUserAgent; }
    public boolean hidden() { return hidden; }
    public String createdBy() { return createdBy; }
    public String oauthClientId() { return oauthClientId; }

    public static class Key implements Serializable {
        private String userId;
        private String deviceId;

        public Key() {
        }

        public Key(String userId, String deviceId) {
            this.userId = userId;
            this.deviceId = deviceId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && userId.equals(k.userId) && deviceId.equals(k.deviceId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, deviceId);
        }
    }

    /**
     * The Client-Server API's device object (spec "Device management", {@code GET /devices}):
     * fields without a value are left out. The admin API adds to it ({@code AdminUsersResource}).
     */
    public JsonObject toJson() {
        JsonObjectBuilder json = Jsons.createObjectBuilder().add("device_id", deviceId);
        if (displayName != null) {
            json.add("display_name", displayName);
        }
        if (lastSeenIp != null) {
            json.add("last_seen_ip", lastSeenIp);
        }
        if (lastSeenTs != null) {
            json.add("last_seen_ts", lastSeenTs);
        }
        return json.build();
    }
}
