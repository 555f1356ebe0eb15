package org.turnkey.oauth.code;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An authorisation code (RFC 6749 section 4.1.2), stored by its SHA-256 only, bound to the
 * client, user, scope, redirect URI and PKCE challenge it was issued for.
 */
@Entity
@Table(name = "oauth_codes")
public class AuthorizationCode {

    @Id
    @Column(name = "code_hash")
    private String codeHash;

    @Column(name = "client_id")
    private String clientId;

    @Column(name = "user_id")
    private String userId;

    private String scope;

    @Column(name = "redirect_uri")
    private String redirectUri;

    @Column(name = "code_challenge")
    private String codeChallenge;

    @Column(name = "created_ts")
    private long createdTs;

    @Column(name = "expires_ts")
    private long expiresTs;

    @Column(name = "redeemed_ts")
    private Long redeemedTs;

    @Column(name = "session_id")
    private Long sessionId;

    protected AuthorizationCode() {
    }

    public AuthorizationCode(String codeHash, String clientId, String userId, String scope, String redirectUri,
                             String codeChallenge, long createdTs, long expiresTs) {
        this.codeHash = codeHash;
        this.clientId = clientId;
        this.userId = userId;
        this.scope = scope;
        this.redirectUri = redirectUri;
        this.codeChallenge = codeChallenge;
        this.createdTs = createdTs;
        this.expiresTs = expiresTs;
    }

    public String codeHash() { return codeHash; }
    public String clientId() { return clientId; }
    public String userId() { return userId; }
    public String scope() { return scope; }
    public String redirectUri() { return redirectUri; }
    public String codeChallenge() { return codeChallenge; }
    public long createdTs() { return createdTs; }
    public long expiresTs() { return expiresTs; }
    public Long redeemedTs() { return redeemedTs; }
    public Long sessionId() { return sessionId; }

    /** Records the redemption and the session it started, so a second use can end that session. */
    public void redeemed(long now, long sessionId) {
        this.redeemedTs = now;
        this.sessionId = sessionId;
    }
}
