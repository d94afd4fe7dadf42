-- Incoming webhooks: URLs external services call to make the bot act.
create table incoming_webhooks (
    brand_id              text        not null,
    id                    uuid        not null,
    name                  text        not null,
    secret                text        not null,
    actions               text[]      not null,
    rate_limit_per_minute int         not null check (rate_limit_per_minute > 0),
    tokens                double precision,
    tokens_updated_at     timestamptz,
    enabled               boolean     not null default true,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    primary key (brand_id, id)
);

create table incoming_webhook_calls (
    brand_id        text        not null,
    hook_id         uuid        not null,
    id              text        not null,    -- call_ + ULID
    action          text,
    outcome         text        not null check (outcome in ('succeeded', 'rejected', 'failed')),
    status          int         not null,
    error_code      text,
    response        text        not null,
    idempotency_key text,
    request_hash    bytea,
    received_at     timestamptz not null,
    primary key (brand_id, hook_id, id)
);

create unique index incoming_webhook_calls_idempotency
    on incoming_webhook_calls (brand_id, hook_id, idempotency_key) where idempotency_key is not null;
