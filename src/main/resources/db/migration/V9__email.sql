-- Email on accounts (issue 23): verified addresses, validation sessions, the mail outbox.
-- Plain SQL that runs unchanged on H2 (PostgreSQL mode) and PostgreSQL.

-- Third-party identifiers of accounts (spec "Adding Account Administrative Contact Information").
-- Only validated addresses are stored, canonical (lower-cased); one address, one account.
CREATE TABLE threepids (
    medium       VARCHAR(16)  NOT NULL,
    address      VARCHAR(320) NOT NULL,
    user_id      VARCHAR(255) NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    validated_ts BIGINT       NOT NULL,
    added_ts     BIGINT       NOT NULL,
    PRIMARY KEY (medium, address)
);
CREATE INDEX threepids_user ON threepids (user_id);

-- Email validation sessions (the requestToken endpoints). The client secret and the emailed
-- token are stored as SHA-256 hashes; token_hash is cleared when the token is used, and the row
-- is deleted when the validated session is used (3PID add, registration, password reset).
CREATE TABLE email_validations (
    sid                VARCHAR(64)  PRIMARY KEY,
    client_secret_hash VARCHAR(64)  NOT NULL,
    purpose            VARCHAR(16)  NOT NULL,
    address            VARCHAR(320) NOT NULL,
    user_id            VARCHAR(255),
    send_attempt       BIGINT       NOT NULL,
    token_hash         VARCHAR(64),
    created_ts         BIGINT       NOT NULL,
    expires_ts         BIGINT       NOT NULL,
    validated_ts       BIGINT
);
CREATE INDEX email_validations_secret ON email_validations (client_secret_hash);
CREATE INDEX email_validations_expires ON email_validations (expires_ts);

-- Mail waiting to be sent: written in the transaction that decides to send it, sent after that
-- commits, retried until sent or expired, then deleted.
CREATE TABLE mail_outbox (
    id              VARCHAR(64)   PRIMARY KEY,
    recipient       VARCHAR(320)  NOT NULL,
    subject         VARCHAR(255)  NOT NULL,
    body            VARCHAR(8000) NOT NULL,
    attempts        INTEGER       DEFAULT 0 NOT NULL,
    next_attempt_ts BIGINT        NOT NULL,
    created_ts      BIGINT        NOT NULL,
    expires_ts      BIGINT        NOT NULL
);
CREATE INDEX mail_outbox_next ON mail_outbox (next_attempt_ts);

-- The validated email session a user-interactive auth session completed m.login.email.identity with.
ALTER TABLE uia_sessions ADD COLUMN email_sid VARCHAR(64);
