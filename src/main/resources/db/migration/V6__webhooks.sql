-- Webhooks: endpoints brands register, the messages Resonance sends them (an outbox written
-- in the same transaction as the change that caused it), one delivery per endpoint and
-- message, and every attempt.

create table webhook_endpoints (
    brand_id         text        not null,
    id               uuid        not null,
    url              text        not null,
    description      text,
    event_types      text[],                -- null: every event
    enabled          boolean     not null,
    paused           boolean     not null default false,
    disabled_reason  text,
    failing_since    timestamptz,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    primary key (brand_id, id)
);

create table webhook_secrets (
    brand_id    text        not null,
    endpoint_id uuid        not null,
    id          bigint generated always as identity,
    secret      text        not null,        -- whsec_ + base64
    created_at  timestamptz not null,
    expires_at  timestamptz,
    primary key (brand_id, endpoint_id, id),
    foreign key (brand_id, endpoint_id) references webhook_endpoints (brand_id, id) on delete cascade
);

-- Per brand: what makes a balance change worth a balance.change event.
create table webhook_settings (
    brand_id                 text primary key,
    balance_change_threshold bigint check (balance_change_threshold > 0),
    updated_at               timestamptz not null
);

-- The exact body every endpoint receives for a message.
create table webhook_messages (
    brand_id   text        not null,
    id         text        not null,         -- msg_ + ULID, the webhook-id
    event      text        not null,
    body       text        not null,
    created_at timestamptz not null,
    primary key (brand_id, id)
);

-- One delivery of a message to an endpoint: its status and history, for the delivery log. No
-- index covers a column that changes as the delivery moves on, so those updates are HOT (no
-- index writes); the queue below is what the workers search.
create table webhook_deliveries (
    brand_id         text        not null,
    id               text        not null,   -- dlv_ + ULID, the X-Idempotency-Key
    endpoint_id      uuid        not null,
    message_id       text        not null,
    event            text        not null,
    status           text        not null check (status in ('pending', 'sending', 'held', 'succeeded', 'dead')),
    attempts         int         not null default 0,
    attempts_base    int         not null default 0, -- attempts before the last manual re-queue
    next_attempt_at  timestamptz not null,
    last_status      int,
    last_error       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    primary key (brand_id, id)
) with (fillfactor = 70);

-- The delivery history of an endpoint, newest first.
create index webhook_deliveries_endpoint on webhook_deliveries (brand_id, endpoint_id, id);
create index webhook_deliveries_created on webhook_deliveries (created_at);
create index webhook_deliveries_message on webhook_deliveries (brand_id, message_id);

-- Deliveries still to be sent (pending or being sent), by when they are due. A worker claims
-- a delivery by moving its due time to when its claim lapses, so the delivery of a node that
-- died becomes due again by itself; a finished delivery leaves the queue.
create table webhook_queue (
    brand_id    text        not null,
    delivery_id text        not null,
    endpoint_id uuid        not null,
    due_at      timestamptz not null,
    primary key (brand_id, delivery_id)
) with (fillfactor = 70);

create index webhook_queue_due on webhook_queue (due_at);

create table webhook_attempts (
    brand_id         text        not null,
    delivery_id      text        not null,
    attempt          int         not null,
    started_at       timestamptz not null,
    duration_ms      int         not null,
    status_code      int,
    error            text,
    response_excerpt text,
    primary key (brand_id, delivery_id, attempt)
);
