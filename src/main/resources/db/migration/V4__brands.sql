-- Brands: tenants, their HMAC secret keys and their management API keys.

create table brands (
    brand_id              text primary key check (brand_id ~ '^0x[0-9a-f]{40}$'),
    name                  text        not null,
    rate_limit_per_minute int         not null check (rate_limit_per_minute > 0),
    daily_event_limit     int check (daily_event_limit > 0),
    require_timestamp     boolean     not null,
    default_currency      text        not null,
    created_at            timestamptz not null,
    updated_at            timestamptz not null
);

create index brands_created_at on brands (created_at, brand_id);

-- Secret keys sign event API requests (HMAC needs them in clear). A rotated-out key keeps
-- working until expires_at.
create table brand_secrets (
    brand_id   text        not null references brands,
    id         bigint generated always as identity,
    secret     text        not null,
    created_at timestamptz not null,
    expires_at timestamptz,
    primary key (brand_id, id)
);

-- API keys are stored as SHA-256 hashes only; key_hint is the last characters, for display.
create table brand_api_keys (
    brand_id   text        not null references brands,
    id         bigint generated always as identity,
    key_hash   text        not null,
    key_hint   text        not null,
    created_at timestamptz not null,
    expires_at timestamptz,
    primary key (brand_id, id),
    unique (brand_id, key_hash)
);
