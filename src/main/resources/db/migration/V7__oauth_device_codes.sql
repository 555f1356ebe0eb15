-- OAuth 2.0 device authorisation grant (RFC 8628, spec "Device authorisation flow"): one row per
-- device authorisation request. Only SHA-256 hashes of the device code and the user code are
-- stored. A row outlives its expiry for a while, so a late poll is told expired_token rather
-- than invalid_grant.
CREATE TABLE oauth_device_codes (
    device_code_hash VARCHAR(64)   PRIMARY KEY,
    -- Hash of the user code in its normal form (upper case, no separator).
    user_code_hash   VARCHAR(64)   NOT NULL UNIQUE,
    client_id        VARCHAR(64)   NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    scope            VARCHAR(2048) NOT NULL,
    created_ts       BIGINT        NOT NULL,
    expires_ts       BIGINT        NOT NULL,
    -- pending, approved, denied or redeemed.
    status           VARCHAR(16)   NOT NULL,
    -- The polling interval in seconds, raised by 5 at each slow_down (RFC 8628 section 3.5).
    poll_interval    INTEGER       NOT NULL,
    last_polled_ts   BIGINT,
    -- Who approved or denied, and when.
    user_id          VARCHAR(255)  REFERENCES users (user_id) ON DELETE CASCADE,
    decided_ts       BIGINT,
    -- The auth_sessions row the redemption created (no foreign key: the session may be gone).
    session_id       BIGINT
);
CREATE INDEX oauth_device_codes_expiry ON oauth_device_codes (expires_ts);
