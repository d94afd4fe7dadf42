-- Incoming webhooks: URLs external services call, signed, to make the bot act (add currency,
-- assign a role, post a message).
create table incoming_webhooks (
    brand_id                   text        not null,
    id                         uuid        not null,
    name                       text        not null,
    -- The signing secret (whsec_...): HMAC keys must be kept readable to verify with them.
    secret                     text        not null,
    -- After a rotation the previous secret keeps verifying until it expires.
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    actions                    text[]      not null,
    rate_limit_per_minute      int         not null check (rate_limit_per_minute between 1 and 100000),
    -- The currency currency.add moves unless the call names one; null: the brand's default.
    currency                   text,
    -- The rate limit's token bucket, shared by every node: tokens left at tokens_updated_at
    -- (null: a full bucket).
    tokens                     double precision,
    tokens_updated_at          timestamptz,
    enabled                    boolean     not null default true,
    created_at                 timestamptz not null,
    updated_at                 timestamptz not null,
    primary key (brand_id, id)
);

create index incoming_webhooks_created on incoming_webhooks (brand_id, created_at, id);

-- Every call to a known hook, with what it was answered. Ids are call_ + ULID, so the
-- primary key lists a hook's calls newest first.
create table incoming_webhook_calls (
    brand_id        text        not null,
    hook_id         uuid        not null,
    id              text        not null,
    action          text,
    outcome         text        not null check (outcome in ('processing', 'succeeded', 'rejected', 'failed', 'replayed')),
    status          int         not null,
    error_code      text,
    response        text        not null,
    idempotency_key text,
    -- The call whose answer is replayed to later calls with the same X-Idempotency-Key.
    -- A call that failed (5xx) does not hold its key, so it can be retried.
    holds_key       boolean     not null default false,
    request_hash    bytea,
    received_at     timestamptz not null,
    primary key (brand_id, hook_id, id)
);

-- At most one call holds a key: a concurrent duplicate waits on this index for the first to
-- commit, then replays its answer.
create unique index incoming_webhook_calls_idempotency
    on incoming_webhook_calls (brand_id, hook_id, idempotency_key) where holds_key;

create index incoming_webhook_calls_received on incoming_webhook_calls (received_at);
