-- The user agent of a device's last request, written with last_seen_ts and last_seen_ip (the
-- admin API's whois shows it).
ALTER TABLE devices ADD COLUMN last_seen_user_agent VARCHAR(512);
-- A device that holds a token an admin issued for the user (admin login-as): it works like any
-- other device but is not listed to the user, as Synapse's admin-issued tokens have no device.
ALTER TABLE devices ADD COLUMN hidden BOOLEAN DEFAULT FALSE NOT NULL;
