-- Platform: the operator credential and stored responses for Idempotency-Key.

create table operator_credentials (
    name        text primary key,
    secret_hash bytea       not null,
    created_at  timestamptz not null
);

-- principal: a hash of the credential that sent the request (a brand's API key or the admin
-- token), so keys of different callers never collide. A row is inserted when a request
-- starts and given its response in the same transaction as the request's own work, so a
-- committed row always has a response; response_body is sealed (AES-GCM) with a key derived
-- from the credential, because a response may carry a newly issued secret.
create table idempotency_keys (
    principal             text        not null,
    key                   text        not null,
    fingerprint           bytea       not null,
    response_status       int,
    response_content_type text,
    response_location     text,
    response_body         bytea,
    created_at            timestamptz not null,
    primary key (principal, key)
);

create index idempotency_keys_created_at on idempotency_keys (created_at);
