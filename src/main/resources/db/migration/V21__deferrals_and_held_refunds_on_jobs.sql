-- Pending reward events and held Shopify refunds wait as durable jobs (platform/jobs), like
-- everything else that is due at a time. What waited in their own tables moves over, so an
-- upgrade loses nothing.

-- A pending event's job is due when the event may be processed; its payload keeps the cap of
-- an unsigned event (PendingEventQueue.Deferred). A claim held by a node of the old version is
-- dropped: the job is simply due.
insert into jobs (brand_id, queue, key, due_at, payload, created_at)
select brand_id, 'reward-deferrals', event_id, process_after,
       case when amount_cap is not null then jsonb_build_object('amountCap', amount_cap) end, now()
from reward_deferrals
on conflict (brand_id, queue, key) do nothing;

drop table reward_deferrals;

-- An order with held refunds gets its job, due now: its first run settles what it can and sets
-- it due when the order's reward is released. The refunds themselves stay in
-- shopify_held_refunds.
insert into jobs (brand_id, queue, key, due_at, created_at)
select distinct brand_id, 'shopify-held-refunds', order_id, now(), now()
from shopify_held_refunds
on conflict (brand_id, queue, key) do nothing;
