-- Failed sign-ins (and failed two-factor codes, "forgot your password" requests) are pruned
-- hourly once older than the failure window, whatever their key: found by their time.
create index portal_sign_in_failures_failed on portal_sign_in_failures (failed_at);
