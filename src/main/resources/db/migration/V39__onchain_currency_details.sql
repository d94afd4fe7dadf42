-- An on-chain currency can say which token it is: the token's address (its contract, mint or
-- issuer) and the chain it lives on. Reward webhooks pass them on in movement.currency, so a
-- receiver that pays out on chain knows what to send without a table of its own. Both are
-- optional, set when the brand is created, and mean nothing for points or airdrops, which have
-- neither. The address is letters and digits only (EVM 0x… hex, Solana base58, XRPL addresses);
-- the chain is an id as the brand knows it ("1", "8453", "eip155:1", "solana:mainnet"). The API
-- checks more (an EVM address is 0x and 40 hex digits); these keep what no path may store.
alter table ledger_currencies
    add column address  text,
    add column chain_id text,
    add constraint ledger_currencies_onchain_details_only_onchain
        check (kind = 'onchain-currency' or (address is null and chain_id is null)),
    add constraint ledger_currencies_address_format
        check (address ~ '^[A-Za-z0-9]{1,128}$'),
    add constraint ledger_currencies_chain_id_format
        check (chain_id ~ '^[A-Za-z0-9:_-]{1,64}$');
