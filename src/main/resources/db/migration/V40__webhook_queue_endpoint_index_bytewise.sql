-- The queue empties and fills many times a second, so autovacuum can vacuum or analyze it at a
-- moment with no live row; PostgreSQL then estimates every scan of it at one row until the next
-- one finds rows, and a lookup of a delivery by its key (brand, delivery) could pick this
-- index instead of the primary key (it is smaller, and its brand column served the lookup's
-- first condition): every lookup then read all of the brand's queued deliveries. Its brand
-- column is byte-ordered ("C") now, so only statements that compare the brand the same way use
-- it (the claim's walk over the endpoints, deleting an endpoint's queue), and a lookup by key
-- can only take the primary key, whatever the statistics say.
drop index webhook_queue_endpoint_due;
create index webhook_queue_endpoint_due on webhook_queue (brand_id collate "C", endpoint_id, due_at);
