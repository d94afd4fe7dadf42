-- One person across the network. An identity (a Discord id, an email, a wallet address…)
-- belongs to exactly one person across all brands; a member is a person as one brand knows
-- them (status, rule state, history, the identities that brand attached). The network
-- currency, RSNC, is held by people, not members, in the ledger's `network` partition.
--
-- People and their identities are network data: they are keyed by person, not by brand.
-- Everything a brand decides stays in the brand-keyed tables.
--
-- A member's first sight writes a person, their identity, the member and the brand's
-- identity row in one statement, on the event path: these rows are kept small, with few
-- indexes, and linked by that code (and the merge's) without foreign keys, whose checks
-- would probe and lock a row per link on every first sight.

-- A person is an id: its identities (person_identities) and members (members.person_id)
-- carry it, and its network wallet address is derived from it with
-- network_settings.address_key (HMAC-SHA256, first 20 bytes). Nothing else is stored per
-- person until two people merge; a person is locked with a transaction-scoped advisory
-- lock keyed by its id.
create sequence people_id_seq;

-- People merged into another (with the person's confirmation): their identities, members
-- and RSNC moved there.
create table people_merges (
    person_id   bigint primary key,
    merged_into bigint      not null,
    merged_at   timestamptz not null,
    check (person_id <> merged_into)
);

-- The key network wallet addresses are derived with: random, made once, never shown.
create table network_settings (
    name  text primary key,
    value bytea not null
);

insert into network_settings (name, value)
values ('address_key', sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')));

-- Who holds each identity. A person's identities are found through their members'
-- identity rows (every identity was attached by some brand), so this needs no index by
-- person.
create table person_identities (
    kind       text        not null,
    value      text        not null,
    person_id  bigint      not null,
    created_at timestamptz not null,
    primary key (kind, value)
);

-- A person normally has one member per brand; the oldest live one is the one new
-- identities of the person attach to. Members that were separate before people existed
-- (two members of one brand, each holding an identity another brand joined) stay separate.
alter table members add column person_id bigint;

-- Existing members become people. Members of different brands that share an identity value
-- are one person: connected components over shared identities, by label propagation.
create temporary table migration_labels on commit drop as
select id as member_id, id as label from members where merged_into is null;

create unique index on migration_labels (member_id);

do
$$
declare
    changed bigint;
begin
    loop
        with shared as (
            select i.member_id, min(l.label) over (partition by i.kind, i.value) as label
            from member_identities i
            join migration_labels l on l.member_id = i.member_id
        ), lowest as (
            select member_id, min(label) as label from shared group by member_id
        )
        update migration_labels l set label = lowest.label
        from lowest
        where l.member_id = lowest.member_id and lowest.label < l.label;
        get diagnostics changed = row_count;
        -- Each round lowers labels one shared identity further: done when none lowered.
        exit when changed = 0;
    end loop;
end;
$$;

create temporary table migration_people on commit drop as
select label, nextval('people_id_seq') as person_id
from migration_labels
group by label;

update members m set person_id = p.person_id
from migration_labels l
join migration_people p on p.label = l.label
where m.id = l.member_id;

-- Members merged into another (within their brand) belong to their survivor's person.
do
$$
declare
    changed bigint;
begin
    loop
        update members m set person_id = s.person_id
        from members s
        where m.merged_into is not null and m.person_id is null
          and s.brand_id = m.brand_id and s.id = m.merged_into and s.person_id is not null;
        get diagnostics changed = row_count;
        exit when changed = 0;
    end loop;
end;
$$;

-- Anything left (a broken merge chain) gets a person of its own rather than none.
update members set person_id = nextval('people_id_seq') where person_id is null;

alter table members alter column person_id set not null;
create index members_person on members (person_id, brand_id);

insert into person_identities (kind, value, person_id, created_at)
select distinct on (i.kind, i.value) i.kind, i.value, m.person_id, i.created_at
from member_identities i
join members m on m.brand_id = i.brand_id and m.id = i.member_id
order by i.kind, i.value, i.created_at;

-- The network partition of the ledger: RSNC, issued by the operator into brands' RSNC
-- wallets, paid to people, redeemed at any brand. A brand's RSNC wallet is the partition's
-- brand wallet account owned by the brand's number below.
create table ledger_network_wallets (
    brand_id text   primary key,
    owner_id bigint generated always as identity unique
);

insert into ledger_currencies (brand_id, code, kind, decimals, created_at)
values ('network', 'RSNC', 'point', 0, now())
on conflict do nothing;

insert into ledger_accounts (brand_id, currency, kind, owner_id, balance, allow_negative, created_at)
values ('network', 'RSNC', 'issuance', 0, 0, true, now())
on conflict do nothing;

-- Redemption codes: a person's short-lived, single-use permission for a brand to take RSNC
-- from their network balance. Only the code's SHA-256 is kept.
create table network_redemption_codes (
    code_hash     bytea primary key,
    person_id     bigint      not null,
    max_amount    bigint check (max_amount > 0),
    issued_via    text        not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    used_at       timestamptz,
    used_by       text,
    redemption_id text
);

create index network_redemption_codes_person on network_redemption_codes (person_id, expires_at);

-- RSNC redeemed at a brand: the brand's record of it (its RSNC wallet got the transfer).
create table network_redemptions (
    brand_id    text        not null,
    id          text        not null,
    person_id   bigint      not null,
    member_id   bigint,
    amount      bigint      not null check (amount > 0),
    reference   text,
    transfer_id bigint      not null,
    created_at  timestamptz not null,
    primary key (brand_id, id)
);

create index network_redemptions_created on network_redemptions (brand_id, created_at desc, id desc);

-- Links that need the confirmation of the person who holds the identity: a one-time code
-- (its SHA-256 with the confirmation id) sent to them, a few attempts, a short life.
create table network_link_confirmations (
    brand_id     text        not null,
    id           text        not null,
    member_kind  text        not null,
    member_value text        not null,
    added_kind   text        not null,
    added_value  text        not null,
    holder       bigint      not null,
    method       text        not null,
    code_hash    bytea       not null,
    attempts     int         not null default 0,
    created_at   timestamptz not null,
    expires_at   timestamptz not null,
    confirmed_at timestamptz,
    primary key (brand_id, id)
);
