-- Analytics per member over days, weeks and months, and the number of members active in each,
-- so unique members and top members over a long range read a few rows per member instead of
-- one per member and day (replaces reward_member_days).
--
-- A range of whole UTC days is covered by whole months, then whole weeks, then days. Weeks are
-- the month's own: days 1-7, 8-14, 15-21, 22-28 and 29 to the month's end, so they nest in months
-- and days nest in them.

-- The periods a UTC day falls in: itself, its week of the month, its month.
create function reward_periods(day date) returns table (span text, start date)
language sql immutable parallel safe
as $$
    select 'day', day
    union all
    select 'week', day - ((extract(day from day)::int - 1) % 7)
    union all
    select 'month', day - (extract(day from day)::int - 1)
$$;

-- Per member, period (of receipt) and currency: their recorded events and what they were awarded,
-- as reward_member_days had it per day (currency '' for events not awarded). Written by the
-- statement that writes each batch of events.
create table reward_member_activity (
    brand_id  text   not null,
    span      text   not null check (span in ('day', 'week', 'month')),
    start     date   not null,
    member_id bigint not null,
    currency  text   not null,
    events    bigint not null,
    awarded   bigint not null,
    primary key (brand_id, span, start, member_id, currency)
) with (fillfactor = 80);

-- The members with at least one row in reward_member_activity, per period: kept by the same
-- statement (and by merges), so a day's, week's or month's unique members are one row. Both
-- tables are written only under the brand's lock (every batch and every merge takes it first),
-- which is what makes "a member's first row in a period" a safe thing to count.
create table reward_active_members (
    brand_id text   not null,
    span     text   not null,
    start    date   not null,
    members  bigint not null,
    primary key (brand_id, span, start)
);

insert into reward_member_activity (brand_id, span, start, member_id, currency, events, awarded)
select d.brand_id, p.span, p.start, d.member_id, d.currency, sum(d.events), sum(d.awarded)
from reward_member_days d cross join lateral reward_periods(d.day) p
where d.events <> 0 or d.awarded <> 0
group by 1, 2, 3, 4, 5;

insert into reward_active_members (brand_id, span, start, members)
select brand_id, span, start, count(distinct member_id)
from reward_member_activity
group by 1, 2, 3;

drop table reward_member_days;
