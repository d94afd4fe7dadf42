-- The analytics aggregates (reward_stats_hourly, the days of reward_member_activity and
-- reward_active_members) are folded in after the events' transaction, not in it: a batch of
-- events records what it adds here, one row per batch with one array element per event (and two
-- for a pending event processed again: its old outcome taken back, its new one), and the
-- statistics module folds rows into the aggregates and deletes them, in one transaction, at the
-- latest before anything reads the aggregates (any rows in any order: the aggregates are sums).
-- A batch spans the brands of its lane, so the row does too. Kept inline up to a page,
-- uncompressed: a row lives a second or so.
create table reward_stat_changes (
    id bigint generated always as identity primary key,
    brand_ids text[] not null,
    received_at timestamptz[] not null,
    event_types text[] not null,
    member_ids bigint[] not null,
    outcomes text[] not null,
    error_codes text[] not null,
    currencies text[] not null,
    events int[] not null,
    amounts bigint[] not null,
    reprocessed boolean[] not null
) with (toast_tuple_target = 8160);
