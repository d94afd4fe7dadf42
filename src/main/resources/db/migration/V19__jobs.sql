-- Durable jobs (platform/jobs): work due at a time, recorded in the transaction of the change that
-- needs it, claimed by one node at a time and completed in the transaction that does the work.
--
-- A job is named by its queue and a key unique within the queue and brand; brand_id is '' for
-- jobs that are no brand's (pruning, say), so it can lead the primary key like every table that
-- holds tenant data. A claimed job has claimed_by (the claim: the node and a number) and
-- claimed_until (when the claim lapses and another node may take the job over). attempts counts
-- claims; a job that failed on its last attempt keeps its row with dead_at set, for inspection.
create table jobs (
    brand_id      text        not null,
    queue         text        not null,
    key           text        not null,
    due_at        timestamptz not null,
    payload       jsonb,
    attempts      int         not null default 0,
    claimed_by    text,
    claimed_until timestamptz,
    last_error    text,
    dead_at       timestamptz,
    created_at    timestamptz not null,
    primary key (brand_id, queue, key)
);

-- The claim reads a queue's live jobs by due time.
create index jobs_due on jobs (queue, due_at) where dead_at is null;
