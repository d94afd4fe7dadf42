-- The operator console shows each brand wallet's fundings (issuance → wallet), newest first.
-- Fundings are few among a brand's transfers (awards are most of them): a small partial index
-- finds them by the account they credited without reading the rest.
create index ledger_transfers_fundings on ledger_transfers (brand_id, credit_account_id, id)
    where kind = 'funding';
