-- Which API created a device, for the admin API: 'legacy' (password, token or registration
-- login, admin login-as), 'oauth' (OAuth 2.0 authorisation code grant), 'oauth-device' (device
-- authorisation grant), with the OAuth client's ID. NULL for devices created before this was
-- recorded. No foreign key: the device stays when its client is deleted only if other sessions
-- keep it, and then the ID still tells the admin where it came from.
ALTER TABLE devices ADD COLUMN created_by VARCHAR(16);
ALTER TABLE devices ADD COLUMN oauth_client_id VARCHAR(64);
