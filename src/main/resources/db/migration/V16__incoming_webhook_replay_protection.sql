-- Incoming webhook calls are signed the Standard Webhooks way: webhook-id, webhook-timestamp and
-- webhook-signature over "id.timestamp.body", within a tolerance of server time. The old
-- X-Signature (an HMAC of the body alone, replayable forever) is accepted only by hooks that opt in.
-- Every hook that exists already was called with X-Signature, so it keeps it: the default true
-- covers them, and any hook that a node not yet upgraded creates during a rolling upgrade (its
-- creator was told to sign with X-Signature too). From this version on, every insert sets the
-- column, false unless asked.
alter table incoming_webhooks add column legacy_signatures boolean not null default true;

-- A Standard Webhooks call's webhook-id and signed timestamp. The call that holds its answer
-- (holds_key) holds its webhook-id as well as its X-Idempotency-Key: a repeat of the id waits on
-- this index for the first to commit, then replays its answer. Ids are pruned with the call log,
-- but never before their timestamp has left the tolerance window (IncomingCallPruner).
alter table incoming_webhook_calls
    add column webhook_id        text,
    add column webhook_timestamp timestamptz;

create unique index incoming_webhook_calls_webhook_id
    on incoming_webhook_calls (brand_id, hook_id, webhook_id) where holds_key and webhook_id is not null;
