-- Analytics per member over days, weeks and months, and the number of members active in each,
-- so unique members and top members over a long range read a few rows per member instead of
-- one per member and day (replaces reward_member_days). Days are written by the statement that
-- writes each batch of events; a week or month is rolled up from its days once it has ended
-- (reward_rollups), and rolled up again if a day of it changes afterwards.
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
-- as reward_member_days had it per day (currency '' for events not awarded). Week and month rows
-- count only while their rollup is ready.
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

-- The members with at least one row in reward_member_activity, per period, so a day's, week's or
-- month's unique members are one row. Days are counted by the statement that writes each batch
-- and by merges, both under the brand's lock (every batch and every merge takes it first), which
-- is what makes "a member's first row on a day" a safe thing to count; weeks and months by their
-- rollup.
create table reward_active_members (
    brand_id text   not null,
    span     text   not null,
    start    date   not null,
    members  bigint not null,
    primary key (brand_id, span, start)
);

-- A week's or month's rows, once computed from its days: 'building' while a node computes them
-- (token names the attempt), 'ready' once they count. Deleting the row (a processed pending
-- event, a merge) makes the period count by its days again until it is rolled up anew.
create table reward_rollups (
    brand_id  text        not null,
    span      text        not null check (span in ('week', 'month')),
    start     date        not null,
    state     text        not null check (state in ('building', 'ready')),
    token     bigint      not null,
    rolled_at timestamptz not null,
    primary key (brand_id, span, start)
);

insert into reward_member_activity (brand_id, span, start, member_id, currency, events, awarded)
select brand_id, 'day', day, member_id, currency, events, awarded
from reward_member_days
where events <> 0 or awarded <> 0;

insert into reward_active_members (brand_id, span, start, members)
select brand_id, span, start, count(distinct member_id)
from reward_member_activity
group by 1, 2, 3;

drop table reward_member_days;
