-- Ledger: currencies, accounts and append-only, balanced transfers. Every table is keyed by
-- brand so a large deployment can shard by brand.

create table ledger_currencies (
    brand_id   text        not null,
    code       text        not null,
    kind       text        not null check (kind in ('point', 'onchain-currency', 'airdrop')),
    decimals   int         not null check (decimals between 0 and 18),
    created_at timestamptz not null,
    primary key (brand_id, code)
);

create table ledger_accounts (
    brand_id       text        not null,
    id             bigint generated always as identity,
    currency       text        not null,
    kind           text        not null check (kind in ('issuance', 'brand_wallet', 'member')),
    owner_id       bigint      not null default 0,
    balance        bigint      not null default 0,
    allow_negative boolean     not null default false,
    created_at     timestamptz not null,
    primary key (brand_id, id),
    unique (brand_id, currency, kind, owner_id),
    foreign key (brand_id, currency) references ledger_currencies (brand_id, code),
    -- The last line of defence: no code path can overdraw an account that does not allow it.
    constraint ledger_accounts_no_overdraft check (allow_negative or balance >= 0)
) with (fillfactor = 80); -- balances change on every transfer: room for in-place (HOT) updates

create table ledger_transfers (
    brand_id          text        not null,
    id                bigint generated always as identity,
    idempotency_key   text        not null,
    currency          text        not null,
    debit_account_id  bigint      not null,
    credit_account_id bigint      not null,
    amount            bigint      not null check (amount > 0),
    kind              text        not null,
    reference         text,
    created_at        timestamptz not null,
    primary key (brand_id, id),
    unique (brand_id, idempotency_key),
    check (debit_account_id <> credit_account_id)
);

-- History is append-only: corrections are new transfers, never edits.
create function ledger_transfers_append_only() returns trigger
    language plpgsql as
$$
begin
    raise exception 'ledger_transfers is append-only (% refused)', tg_op;
end;
$$;

create trigger ledger_transfers_append_only
    before update or delete on ledger_transfers
    for each row execute function ledger_transfers_append_only();

-- Every transfer moves value between two existing accounts of its brand.
alter table ledger_transfers
    add constraint ledger_transfers_debit_account foreign key (brand_id, debit_account_id)
        references ledger_accounts (brand_id, id),
    add constraint ledger_transfers_credit_account foreign key (brand_id, credit_account_id)
        references ledger_accounts (brand_id, id);
