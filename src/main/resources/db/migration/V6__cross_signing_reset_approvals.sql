-- Approvals of a cross-signing reset given on the account pages (action
-- org.matrix.cross_signing_reset, spec "OAuth authentication", m.oauth): until expires_ts the
-- homeserver may let the user replace their cross-signing keys without user-interactive auth.
-- One row per user; a new approval replaces the old one. See docs/oauth.md.
CREATE TABLE cross_signing_reset_approvals (
    user_id     VARCHAR(255) PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    approved_ts BIGINT       NOT NULL,
    expires_ts  BIGINT       NOT NULL
);
