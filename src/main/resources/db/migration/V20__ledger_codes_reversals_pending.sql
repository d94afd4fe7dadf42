-- The ledger owns money movement: transfers say what they are (a code, stored in `kind` as
-- before, so older rows read unchanged), may reverse an earlier transfer, and may be two-phase:
-- a pending transfer reserves funds and is later posted (in full or in part) or voided, by a
-- new transfer linked to it. All of it stays append-only.

-- What pending transfers hold: a pending debit lowers what an account can pay at once; the
-- overdraft check counts it. `merged_into` names the account a member account's value went to
-- when its member was merged into another (reversals and returned reserves follow it).
alter table ledger_accounts
    add column debits_pending  bigint not null default 0,
    add column credits_pending bigint not null default 0,
    add column merged_into     bigint,
    add constraint ledger_accounts_pending_not_negative check (debits_pending >= 0 and credits_pending >= 0),
    add constraint ledger_accounts_merged_into foreign key (brand_id, merged_into)
        references ledger_accounts (brand_id, id);

alter table ledger_accounts drop constraint ledger_accounts_no_overdraft;
-- Written without arithmetic so that it cannot overflow on the issuance account.
alter table ledger_accounts
    add constraint ledger_accounts_no_overdraft check (allow_negative or balance >= debits_pending);

-- phase: `posted` (single-phase, what every transfer was so far), `pending` (reserves),
-- `post_pending` / `void_pending` (resolve the pending transfer named by pending_id).
alter table ledger_transfers
    add column phase       text not null default 'posted',
    add column reverses_id bigint,
    add column pending_id  bigint,
    add column expires_at  timestamptz,
    add constraint ledger_transfers_phase
        check (phase in ('posted', 'pending', 'post_pending', 'void_pending')),
    add constraint ledger_transfers_pending_link
        check ((pending_id is not null) = (phase in ('post_pending', 'void_pending'))),
    add constraint ledger_transfers_expiry check (expires_at is null or phase = 'pending'),
    add constraint ledger_transfers_reversal_posted check (reverses_id is null or phase = 'posted'),
    add constraint ledger_transfers_reverses foreign key (brand_id, reverses_id)
        references ledger_transfers (brand_id, id),
    add constraint ledger_transfers_pending foreign key (brand_id, pending_id)
        references ledger_transfers (brand_id, id);

-- A pending transfer is resolved (posted or voided) at most once.
create unique index ledger_transfers_resolution on ledger_transfers (brand_id, pending_id)
    where pending_id is not null;
create index ledger_transfers_reversals on ledger_transfers (brand_id, reverses_id)
    where reverses_id is not null;

-- The pending transfers not resolved yet, with their expiry: a small table that shrinks as
-- they are resolved, so finding expired ones never walks the history.
create table ledger_pending_transfers (
    brand_id    text        not null,
    transfer_id bigint      not null,
    expires_at  timestamptz,
    primary key (brand_id, transfer_id),
    foreign key (brand_id, transfer_id) references ledger_transfers (brand_id, id)
);
create index ledger_pending_transfers_expiry on ledger_pending_transfers (expires_at)
    where expires_at is not null;

-- The last line of defence for links, as the overdraft check is for balances; the ledger
-- checks the same before posting and answers with a refusal instead. Fires only for
-- transfers that carry a link, so ordinary postings pay nothing for it.
create function ledger_transfers_check_links() returns trigger
    language plpgsql as
$$
declare
    linked   ledger_transfers;
    reversed bigint;
begin
    if new.reverses_id is not null then
        -- Locking the reversed transfer serializes its reversals: the sum below then
        -- includes every reversal committed before, and those of this statement.
        select * into linked from ledger_transfers
        where brand_id = new.brand_id and id = new.reverses_id for no key update;
        if not found then
            raise exception 'ledger_transfers_reverses: transfer % reverses unknown transfer %', new.id, new.reverses_id
                using errcode = 'foreign_key_violation', constraint = 'ledger_transfers_reverses';
        end if;
        if linked.phase not in ('posted', 'post_pending') or linked.currency <> new.currency
                or new.credit_account_id <> linked.debit_account_id
                or not exists (
                    with recursive successors (id) as (
                        select linked.credit_account_id
                        union
                        select a.merged_into from ledger_accounts a join successors s on a.id = s.id
                        where a.brand_id = new.brand_id and a.merged_into is not null
                    )
                    select 1 from successors where id = new.debit_account_id) then
            raise exception 'ledger_transfers_reversal_swapped: transfer % does not undo transfer %', new.id, new.reverses_id
                using errcode = 'check_violation', constraint = 'ledger_transfers_reversal_swapped';
        end if;
        select coalesce(sum(amount), 0) into reversed from ledger_transfers
        where brand_id = new.brand_id and reverses_id = new.reverses_id;
        if reversed + new.amount > linked.amount then
            raise exception 'ledger_transfers_reversal_within_original: reversals of transfer % would exceed it', new.reverses_id
                using errcode = 'check_violation', constraint = 'ledger_transfers_reversal_within_original';
        end if;
    end if;
    if new.pending_id is not null then
        select * into linked from ledger_transfers
        where brand_id = new.brand_id and id = new.pending_id for no key update;
        if not found or linked.phase <> 'pending' or linked.currency <> new.currency
                or linked.debit_account_id <> new.debit_account_id
                or linked.credit_account_id <> new.credit_account_id
                or new.amount > linked.amount
                or (new.phase = 'void_pending' and new.amount <> linked.amount)
                or (new.phase = 'post_pending' and linked.expires_at is not null
                    and new.created_at >= linked.expires_at) then
            raise exception 'ledger_transfers_resolves_pending: transfer % cannot resolve transfer %', new.id, new.pending_id
                using errcode = 'check_violation', constraint = 'ledger_transfers_resolves_pending';
        end if;
    end if;
    return new;
end;
$$;

create trigger ledger_transfers_check_links
    before insert on ledger_transfers
    for each row
    when (new.reverses_id is not null or new.pending_id is not null)
    execute function ledger_transfers_check_links();

-- Members merged before this change: their accounts name the survivor's (opened if need be),
-- so that reversals of what they received find the balance where it went.
insert into ledger_accounts (brand_id, currency, kind, owner_id, balance, allow_negative, created_at)
select a.brand_id, a.currency, 'member', m.merged_into, 0, false, now()
from ledger_accounts a
join members m on m.brand_id = a.brand_id and m.id = a.owner_id
where a.kind = 'member' and m.merged_into is not null
on conflict (brand_id, currency, kind, owner_id) do nothing;

update ledger_accounts a set merged_into = s.id
from members m, ledger_accounts s
where a.kind = 'member' and m.brand_id = a.brand_id and m.id = a.owner_id and m.merged_into is not null
  and s.brand_id = a.brand_id and s.currency = a.currency and s.kind = 'member' and s.owner_id = m.merged_into;
