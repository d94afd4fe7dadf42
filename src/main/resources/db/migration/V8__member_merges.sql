-- Members reachable through several identities: when a brand links an identity that belongs
-- to another member, that member is merged into the first and points to it from then on.

alter table members add column merged_into bigint;

comment on column members.merged_into is
    'The member this one was merged into; its identities, balance and history moved there.';
