-- Turnkey schema. Plain SQL that runs unchanged on H2 (PostgreSQL mode) and PostgreSQL.

CREATE TABLE users (
    user_id       VARCHAR(255) PRIMARY KEY,
    password_hash VARCHAR(512),
    admin         BOOLEAN      DEFAULT FALSE NOT NULL,
    deactivated   BOOLEAN      DEFAULT FALSE NOT NULL,
    locked        BOOLEAN      DEFAULT FALSE NOT NULL,
    created_ts    BIGINT       NOT NULL
);

CREATE TABLE devices (
    user_id      VARCHAR(255) NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    device_id    VARCHAR(255) NOT NULL,
    display_name VARCHAR(1024),
    last_seen_ts BIGINT,
    last_seen_ip VARCHAR(64),
    created_ts   BIGINT       NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

-- A session is what a set of tokens authenticates: user + device + client + scope.
-- The legacy API has one session per device (client_id and scope NULL).
CREATE TABLE auth_sessions (
    id         BIGINT        PRIMARY KEY,
    user_id    VARCHAR(255)  NOT NULL,
    device_id  VARCHAR(255)  NOT NULL,
    client_id  VARCHAR(255),
    scope      VARCHAR(2048),
    created_ts BIGINT        NOT NULL,
    FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
);
CREATE INDEX auth_sessions_device ON auth_sessions (user_id, device_id);

-- One row per issued access token and its refresh token (if any). Revoked rows stay for a few
-- generations so that a replayed or superseded token is answered with soft_logout: true.
CREATE TABLE token_pairs (
    id                 BIGINT      PRIMARY KEY,
    session_id         BIGINT      NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    generation         INTEGER     NOT NULL,
    access_hash        VARCHAR(64) NOT NULL UNIQUE,
    refresh_hash       VARCHAR(64) UNIQUE,
    rotation_salt      VARCHAR(64),
    parent_id          BIGINT,
    used               BOOLEAN     NOT NULL,
    revoked            VARCHAR(16),
    created_ts         BIGINT      NOT NULL,
    access_expires_ts  BIGINT,
    refresh_expires_ts BIGINT
);
CREATE INDEX token_pairs_session ON token_pairs (session_id);
CREATE INDEX token_pairs_parent ON token_pairs (parent_id);

CREATE TABLE uia_sessions (
    session_id VARCHAR(64)   PRIMARY KEY,
    operation  VARCHAR(1024) NOT NULL,
    user_id    VARCHAR(255),
    completed  VARCHAR(1024) NOT NULL,
    created_ts BIGINT        NOT NULL,
    expires_ts BIGINT        NOT NULL
);
