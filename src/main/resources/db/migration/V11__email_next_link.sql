-- Issue 23, the rest: next_link on email validation sessions.
-- Plain SQL that runs unchanged on H2 (PostgreSQL mode) and PostgreSQL.

-- Where the validation page sends the browser once the address is confirmed (requestToken's
-- next_link; only absolute http/https URLs are stored).
ALTER TABLE email_validations ADD COLUMN next_link VARCHAR(2048);
