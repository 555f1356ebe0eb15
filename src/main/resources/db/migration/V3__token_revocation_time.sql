-- When a pair was revoked: a refresh with a rotated refresh token that arrived shortly after its
-- rotation was confirmed is a duplicate the client already had in flight, not a replay
-- (RefreshTokenPolicy). Rows revoked before this column existed count as revoked long ago.
ALTER TABLE token_pairs ADD COLUMN revoked_ts BIGINT;
