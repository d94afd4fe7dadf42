-- Pruning reads old rows through an index, never by scanning a whole table: webhook messages
-- (pruned once no delivery refers to them) had no index on their age, so every pruning pass
-- read the whole table. Recorded events need none: their ids are time-ordered ULIDs, so a
-- brand's old events are the left end of their primary key.
create index webhook_messages_created on webhook_messages (created_at);
