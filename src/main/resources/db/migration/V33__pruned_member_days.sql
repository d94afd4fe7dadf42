-- The days on which a member had recorded events that the event pruner has since deleted
-- (resonance.rewards.retention.events), one row per member: when two members merge, the absorbed
-- member's per-day analytics rows are found through its events, and for pruned days through
-- this. reward_member_activity has no index by member (every event batch would pay for it); the
-- pruner writes this in bulk, outside the event path.
create table reward_pruned_member_days (
    brand_id  text   not null,
    member_id bigint not null,
    days      date[] not null,
    primary key (brand_id, member_id)
);
