-- Dead jobs (kept for inspection) are pruned once older than resonance.jobs.dead-retention: found
-- by the time they died, through an index of only them (there are few).
create index jobs_dead on jobs (dead_at) where dead_at is not null;
