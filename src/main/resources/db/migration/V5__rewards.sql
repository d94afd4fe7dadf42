-- Rewards: event type configuration, the record of every signed event, per-member rule state,
-- deferred (pending) events and per-brand rate limiting.

-- Only changed event types are stored; built-in types not stored here use their defaults.
create table reward_event_types (
    brand_id         text        not null,
    name             text        not null check (name ~ '^[a-z0-9_]{1,64}$'),
    enabled          boolean     not null,
    amount           bigint      not null check (amount > 0),
    cooldown_seconds int         not null check (cooldown_seconds >= 0),
    daily_limit      int check (daily_limit > 0),
    max_amount       bigint check (max_amount > 0),
    currency         text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    primary key (brand_id, name)
);

-- Every call that passed the signature check, with its outcome. Ids are ULIDs, so the primary
-- key grows at its right edge.
create table reward_events (
    brand_id        text        not null,
    id              text        not null,
    event_type      text,
    user_id         text,
    server_id       text,
    member_id       bigint,
    amount          bigint,
    amount_awarded  bigint      not null default 0,
    balance_after   bigint,
    currency        text,
    outcome         text        not null check (outcome in ('awarded', 'pending', 'rejected')),
    error_code      text,
    error_message   text,
    retry_after     int,
    pending_reason  text,
    process_after   timestamptz,
    metadata        jsonb,
    idempotency_key text,
    request_hash    bytea,
    response_status smallint,
    response_body   text,
    source          text        not null,
    received_at     timestamptz not null,
    processed_at    timestamptz not null,
    primary key (brand_id, id)
);

create unique index reward_events_idempotency on reward_events (brand_id, idempotency_key)
    where idempotency_key is not null;

create index reward_events_member on reward_events (brand_id, member_id, id)
    where member_id is not null;

create index reward_events_member_pending on reward_events (brand_id, member_id)
    where outcome = 'pending';

-- Per member and event type: when it was last awarded (cooldowns) and how often on `day`. A
-- member's rewards today across all types are the sum of their rows for today. Updated on
-- every award, so pages keep room for in-place (HOT) updates.
create table reward_member_type_state (
    brand_id        text        not null,
    member_id       bigint      not null,
    event_type      text        not null,
    last_awarded_at timestamptz not null,
    day             date        not null,
    day_count       int         not null,
    primary key (brand_id, member_id, event_type)
) with (fillfactor = 80);

-- Events accepted as pending, to be processed at process_after. claimed_until marks a node
-- working on the row; if it dies, the claim lapses and another node takes over.
create table reward_deferrals (
    brand_id      text        not null,
    event_id      text        not null,
    process_after timestamptz not null,
    claimed_until timestamptz,
    primary key (brand_id, event_id)
);

create index reward_deferrals_due on reward_deferrals (process_after, brand_id, event_id);

-- A token bucket per brand for the event API's rate limit (tokens null: a new, full bucket).
-- Locking this row is also what serializes a brand's event processing across nodes.
create table reward_rate_limits (
    brand_id   text primary key,
    tokens     double precision,
    updated_at timestamptz
) with (fillfactor = 50);
