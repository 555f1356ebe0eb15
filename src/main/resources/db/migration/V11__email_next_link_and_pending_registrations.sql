-- Issue 23, the rest: next_link on email validation sessions, and registrations started on the
-- browser registration page that wait for their email address to be confirmed.
-- Plain SQL that runs unchanged on H2 (PostgreSQL mode) and PostgreSQL.

-- Where the validation page sends the browser once the address is confirmed (requestToken's
-- next_link; only absolute http/https URLs are stored).
ALTER TABLE email_validations ADD COLUMN next_link VARCHAR(2048);

-- A registration page's form, checked and waiting for its email address to be confirmed. The
-- browser holds a random key in a cookie; only its SHA-256 is stored. The password is stored only
-- as its Argon2id hash, the registration token (if one was needed) only as SHA-256.
CREATE TABLE pending_registrations (
    key_hash                VARCHAR(64)  PRIMARY KEY,
    user_id                 VARCHAR(255) NOT NULL,
    password_hash           VARCHAR(512) NOT NULL,
    email_sid               VARCHAR(64)  NOT NULL,
    address                 VARCHAR(320) NOT NULL,
    registration_token_hash VARCHAR(64),
    created_ts              BIGINT       NOT NULL,
    expires_ts              BIGINT       NOT NULL
);
CREATE INDEX pending_registrations_expires ON pending_registrations (expires_ts);
