-- OAuth 2.0 API: registered clients, authorisation codes, remembered consent, browser sign-ins.
-- Tokens issued through it live in auth_sessions / token_pairs like legacy ones (client_id and
-- scope set), so every Matrix endpoint, cache and revocation path treats them alike.

CREATE TABLE oauth_clients (
    client_id        VARCHAR(64)   PRIMARY KEY,
    -- SHA-256 of the normalised metadata: identical registrations share one client_id.
    metadata_digest  VARCHAR(64)   NOT NULL UNIQUE,
    -- The registered metadata, as answered to the client (JSON).
    metadata         VARCHAR(16384) NOT NULL,
    application_type VARCHAR(16)   NOT NULL,
    client_name      VARCHAR(1024),
    client_uri       VARCHAR(2048),
    created_ts       BIGINT        NOT NULL
);

-- Single-use, short-lived; only a hash of the code is stored. A code presented again after it was
-- redeemed revokes the session it produced (RFC 6749 section 4.1.2).
CREATE TABLE oauth_codes (
    code_hash      VARCHAR(64)   PRIMARY KEY,
    client_id      VARCHAR(64)   NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    user_id        VARCHAR(255)  NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    scope          VARCHAR(2048) NOT NULL,
    redirect_uri   VARCHAR(2048) NOT NULL,
    code_challenge VARCHAR(128)  NOT NULL,
    created_ts     BIGINT        NOT NULL,
    expires_ts     BIGINT        NOT NULL,
    redeemed_ts    BIGINT,
    -- The auth_sessions row the redemption created (no foreign key: the session may be gone).
    session_id     BIGINT
);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_ts);

-- A user's consent to a client for a scope, so a returning client does not ask again.
CREATE TABLE oauth_consents (
    user_id    VARCHAR(255)  NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    client_id  VARCHAR(64)   NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    scope      VARCHAR(2048) NOT NULL,
    granted_ts BIGINT        NOT NULL,
    PRIMARY KEY (user_id, client_id, scope)
);

-- A browser signed in to Turnkey's pages; the cookie holds the ID, only its hash is stored.
CREATE TABLE browser_sessions (
    id_hash          VARCHAR(64)  PRIMARY KEY,
    user_id          VARCHAR(255) NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_ts       BIGINT       NOT NULL,
    authenticated_ts BIGINT       NOT NULL,
    expires_ts       BIGINT       NOT NULL
);
CREATE INDEX browser_sessions_user ON browser_sessions (user_id);
