-- Pruning reads old rows through an index, never by scanning a whole table: webhook messages
-- (pruned once no delivery refers to them) had no index on their age, so every pruning pass
-- read the whole table. Recorded events need none: their ids are time-ordered ULIDs, so a
-- brand's old events are the left end of their primary key.
create index webhook_messages_created on webhook_messages (created_at);

-- How far each brand's recorded events have had their metadata cleared
-- (resonance.rewards.retention.metadata): events with ids below metadata_cleared_before have
-- none left but pending ones, so a pass starts where the last one ended instead of reading every
-- event again.
create table reward_event_pruning (
    brand_id                text primary key,
    metadata_cleared_before text not null
);
