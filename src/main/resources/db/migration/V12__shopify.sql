-- Shopify, native: a brand's Shopify settings, the webhooks received (deduplicated by
-- X-Shopify-Webhook-Id), the orders rewarded, and reward reversals (refunds).

create table shopify_settings (
    brand_id       text primary key,
    -- The shop's webhook signing secret: an HMAC key, so it must stay readable.
    webhook_secret text        not null,
    order_topic    text        not null check (order_topic in ('orders/paid', 'orders/create')),
    event_type     text        not null check (event_type ~ '^[a-z0-9_]{1,64}$'),
    enabled        boolean     not null,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);

-- Every verified webhook, by Shopify's webhook id: a repeat is answered without acting.
-- outcome 'processing' marks one being handled; a delivery Shopify must retry (the server
-- was busy) is deleted again, so the retry acts.
create table shopify_webhooks (
    brand_id    text        not null,
    webhook_id  text        not null,
    topic       text        not null,
    outcome     text        not null,
    event_id    text,
    note        text,
    received_at timestamptz not null,
    primary key (brand_id, webhook_id)
);

create index shopify_webhooks_received on shopify_webhooks (received_at);

-- The orders whose reward event was recorded, with what a refund needs: the event, the
-- customer's identity (members may merge; the identity follows) and the order's total.
create table shopify_orders (
    brand_id       text        not null,
    order_id       text        not null,
    event_id       text        not null,
    identity_kind  text        not null,
    identity_value text        not null,
    total          numeric,
    created_at     timestamptz not null,
    primary key (brand_id, order_id)
);

-- Reversals of rewards (a refunded order): amount is what the refund took back of the
-- award, reversed what the member's balance could cover (the rest is the shortfall). One
-- per external id (a Shopify refund id), so a repeated refund reverses nothing.
create table reward_reversals (
    brand_id    text        not null,
    id          text        not null,
    event_id    text        not null,
    source      text        not null,
    external_id text        not null,
    refunded    numeric     not null check (refunded >= 0),
    amount      bigint      not null check (amount >= 0),
    reversed    bigint      not null check (reversed between 0 and amount),
    member_id   bigint,
    currency    text,
    transfer_id bigint,
    created_at  timestamptz not null,
    primary key (brand_id, id),
    unique (brand_id, source, external_id)
);

create index reward_reversals_event on reward_reversals (brand_id, event_id);
