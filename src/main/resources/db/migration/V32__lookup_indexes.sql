-- A member's link confirmations: counted before a new one is sent (open ones, per method), and
-- the member's long-expired ones forgotten when it is. Without it both read every confirmation
-- of the brand.
create index network_link_confirmations_member
    on network_link_confirmations (brand_id, member_kind, member_value, expires_at);

-- Endpoints failing now, for the failure-streak metrics (read every few seconds): the few that
-- fail, not every endpoint of every brand.
create index webhook_endpoints_failing on webhook_endpoints (failing_since)
    where failing_since is not null and enabled;
