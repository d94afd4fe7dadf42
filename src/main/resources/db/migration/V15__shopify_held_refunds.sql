-- Shopify refunds that came before there was a reward to reverse: the order was not received
-- yet (Shopify does not promise to deliver topics in order) or its reward event is still
-- pending. Each is reversed as soon as the order's reward is paid, and dropped if it never is.
create table shopify_held_refunds (
    brand_id    text        not null,
    refund_id   text        not null,
    order_id    text        not null,
    refunded    numeric     not null check (refunded >= 0),
    received_at timestamptz not null,
    primary key (brand_id, refund_id)
);

create index shopify_held_refunds_order on shopify_held_refunds (brand_id, order_id);
