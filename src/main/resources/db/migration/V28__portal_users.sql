-- The Partner Portal's users: people who sign in to /portal for one brand, with an email and
-- an Argon2id password hash. An email is unique across all brands (lower-cased), so signing
-- in needs no brand choice; a person working for two brands uses two addresses for now.
create table portal_users (
    id              text primary key,
    brand_id        text        not null references brands,
    email           text        not null check (email = lower(email) and length(email) <= 254),
    password_hash   text        not null,
    role            text        not null check (role in ('admin', 'developer', 'viewer')),
    created_at      timestamptz not null,
    last_sign_in_at timestamptz
);

create unique index portal_users_email on portal_users (email);
create index portal_users_brand on portal_users (brand_id);

-- One-time invitations: only the SHA-256 of the token is kept; the link is shown once to the
-- inviter (and mailed when SMTP is configured). Using one creates the user.
create table portal_invitations (
    id         text primary key,
    token_hash text        not null unique,
    brand_id   text        not null references brands,
    email      text        not null check (email = lower(email) and length(email) <= 254),
    role       text        not null check (role in ('admin', 'developer', 'viewer')),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz
);

create index portal_invitations_brand on portal_invitations (brand_id, created_at);

-- Failed sign-ins, per email and per client address ("email:…", "ip:…"), for throttling across
-- every node; rows older than the throttling window are pruned as new failures come in.
create table portal_sign_in_failures (
    key       text        not null,
    failed_at timestamptz not null
);

create index portal_sign_in_failures_key on portal_sign_in_failures (key, failed_at);
