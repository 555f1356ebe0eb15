-- User-interactive auth, registration tokens and login tokens (issue 4).
-- Plain SQL that runs unchanged on H2 (PostgreSQL mode) and PostgreSQL.

-- Registration tokens (spec "Token-authenticated registration"), created by operators. Only the
-- SHA-256 of a token is stored. A use is counted when the m.login.registration_token stage
-- succeeds; NULL uses_allowed or expiry_ts means unlimited.
CREATE TABLE registration_tokens (
    token_hash   VARCHAR(64) PRIMARY KEY,
    uses_allowed INTEGER,
    completed    INTEGER     DEFAULT 0 NOT NULL,
    expiry_ts    BIGINT,
    created_ts   BIGINT      NOT NULL
);

-- Single-use login tokens from POST /login/get_token (spec "m.login.token"); hashed, deleted on use.
CREATE TABLE login_tokens (
    token_hash VARCHAR(64)  PRIMARY KEY,
    user_id    VARCHAR(255) NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_ts BIGINT       NOT NULL,
    expires_ts BIGINT       NOT NULL
);
CREATE INDEX login_tokens_user ON login_tokens (user_id);
CREATE INDEX login_tokens_expires ON login_tokens (expires_ts);

CREATE INDEX uia_sessions_expires ON uia_sessions (expires_ts);
