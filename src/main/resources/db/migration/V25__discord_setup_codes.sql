-- A brand connects its own Discord server: it asks for a one-time setup code (kept only
-- as its hash) and an admin of the server enters it with /setup.
create table discord_setup_codes (
    code_hash  bytea primary key,
    brand_id   text        not null references brands,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz,
    guild_id   text,
    used_by    text
);

create index discord_setup_codes_brand on discord_setup_codes (brand_id, expires_at);

-- Tries of /setup codes that did not connect the server (and tries under way), per guild
-- and per user: too many within the window and further tries are refused, so codes
-- cannot be guessed. Successful tries are removed.
create table discord_setup_attempts (
    id           bigint generated always as identity primary key,
    guild_id     text        not null,
    user_id      text        not null,
    attempted_at timestamptz not null
);

create index discord_setup_attempts_guild on discord_setup_attempts (guild_id, attempted_at);
create index discord_setup_attempts_user on discord_setup_attempts (user_id, attempted_at);
