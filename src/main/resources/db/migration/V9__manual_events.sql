-- Manual events (POST /resonance-api/manual-event): the domains a brand calls from, and
-- whether it accepts unsigned manual events, up to an amount.

alter table brands
    add column allow_unsigned_manual_events boolean not null default false,
    add column unsigned_manual_event_max_amount bigint not null default 100
        check (unsigned_manual_event_max_amount > 0);

-- A domain identifies one brand (requests whose Origin is the domain are the brand's).
create table brand_domains (
    domain     text primary key check (domain ~ '^[a-z0-9.-]{1,253}$'),
    brand_id   text        not null references brands,
    created_at timestamptz not null
);

create index brand_domains_brand on brand_domains (brand_id);
