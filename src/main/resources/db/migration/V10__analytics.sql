-- Analytics: aggregates of reward_events, written by the statement that writes the events
-- (so they are exact and never lag), read by /v1/analytics.
--
-- Events are counted in the UTC hour they were received, with their current outcome: when a
-- pending event is processed, it moves from the pending bucket of its hour to its outcome's.
-- Amounts are those awarded, per currency; the currency is '' for anything not awarded.

create table reward_stats_hourly (
    brand_id   text        not null,
    hour       timestamptz not null,
    event_type text        not null, -- '' when the request named none
    outcome    text        not null check (outcome in ('awarded', 'pending', 'rejected')),
    error_code text        not null, -- '' unless rejected
    currency   text        not null, -- '' unless awarded
    events     bigint      not null,
    amount     bigint      not null,
    primary key (brand_id, hour, event_type, outcome, error_code, currency)
) with (fillfactor = 70);

-- Per member and UTC day (of receipt): their recorded events and what they were awarded, per
-- currency (again '' for events not awarded). Unique members and top members read this.
create table reward_member_days (
    brand_id  text   not null,
    day       date   not null,
    member_id bigint not null,
    currency  text   not null,
    events    bigint not null,
    awarded   bigint not null,
    primary key (brand_id, day, member_id, currency)
) with (fillfactor = 80);

-- New members per range.
create index members_created on members (brand_id, created_at);

-- The history recorded before this migration.
insert into reward_stats_hourly (brand_id, hour, event_type, outcome, error_code, currency, events, amount)
select brand_id, date_trunc('hour', received_at, 'UTC'), coalesce(event_type, ''), outcome,
       case when outcome = 'rejected' then coalesce(error_code, '') else '' end,
       case when outcome = 'awarded' then coalesce(currency, '') else '' end, count(*), sum(amount_awarded)
from reward_events
group by 1, 2, 3, 4, 5, 6;

insert into reward_member_days (brand_id, day, member_id, currency, events, awarded)
select brand_id, (received_at at time zone 'UTC')::date, member_id,
       case when outcome = 'awarded' then coalesce(currency, '') else '' end, count(*), sum(amount_awarded)
from reward_events
where member_id is not null
group by 1, 2, 3, 4;
