-- An unsigned manual event may move at most its brand's unsigned_manual_event_max_amount,
-- its referrer's affiliate payout included. A pending event keeps its cap until it is paid,
-- when the event type's affiliate_amount may have changed.
alter table reward_deferrals add column amount_cap bigint;
