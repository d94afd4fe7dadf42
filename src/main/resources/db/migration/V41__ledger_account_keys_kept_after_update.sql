-- An account's brand and id stay as transfers name them (V35): the database refuses an update
-- that changes either. As a BEFORE ROW trigger, that check made PostgreSQL lock every account row
-- an UPDATE touched before the update itself, whatever the trigger's column list and WHEN clause
-- said (a row trigger that runs before an update reads its row locked, and the lock is taken
-- before the trigger is found not to apply): one more row lock, and one more WAL record, for
-- every balance the ledger moves; about one for each event of a brand's first-seen members. As
-- an AFTER ROW trigger with the same condition, it is queued only when a key changes, and takes
-- no lock of its own; the update that changes a key still fails, and with it its statement.
-- AFTER triggers fire in the byte order of their names, and the foreign keys' own triggers are
-- named "RI_ConstraintTrigger_..."; the capital L puts this one first, so a rename is refused with
-- this trigger's message rather than as a missing currency.
drop trigger ledger_accounts_keys_kept on ledger_accounts;

create trigger "Ledger_accounts_keys_kept"
    after update of brand_id, id on ledger_accounts
    for each row
    when (old.brand_id is distinct from new.brand_id or old.id is distinct from new.id)
    execute function ledger_accounts_kept();
