-- Every transfer still moves value between two existing accounts of its brand, but the posting
-- statement proves it instead of two foreign keys: it updates the balances of every account its
-- transfers name, matched by brand and id, and the posting fails (nothing written) unless each of
-- them was found. The foreign keys checked the same thing again for each transfer, row by row
-- (a lookup and a lock of both accounts), about two fifths of the posting statement's time on the
-- event path.
alter table ledger_transfers
    drop constraint ledger_transfers_debit_account,
    drop constraint ledger_transfers_credit_account;

-- What the foreign keys also kept: an account that transfers name never goes away, nor changes the
-- brand or id they name it by. Accounts are never deleted (a merged member's account stays, marked
-- merged_into); the database refuses it.
create function ledger_accounts_kept() returns trigger
    language plpgsql as
$$
begin
    raise exception 'ledger accounts are never deleted or renamed: transfers refer to them (% refused)', tg_op
        using errcode = 'restrict_violation';
end;
$$;

create trigger ledger_accounts_never_deleted
    before delete or truncate on ledger_accounts
    for each statement execute function ledger_accounts_kept();

create trigger ledger_accounts_keys_kept
    before update of brand_id, id on ledger_accounts
    for each row
    when (old.brand_id is distinct from new.brand_id or old.id is distinct from new.id)
    execute function ledger_accounts_kept();
