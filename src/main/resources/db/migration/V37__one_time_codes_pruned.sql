-- One-time codes are kept 30 days past their expiry (so a late try is still told "used" or
-- "expired"), then forgotten: when their owner gets a new one, and by a daily job for owners
-- who never ask again. The job finds them by expiry.
create index discord_setup_codes_expires on discord_setup_codes (expires_at);
create index portal_password_resets_expires on portal_password_resets (expires_at);
create index network_link_confirmations_expires on network_link_confirmations (expires_at);
