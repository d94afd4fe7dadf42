-- Resonance inside Discord: guilds bound to brands, the people who registered with a
-- brand, and every interaction received (Discord ids are snowflakes, kept as text).

-- One guild, one brand.
create table discord_guilds (
    guild_id text primary key,
    brand_id text        not null references brands,
    bound_at timestamptz not null
);

create index discord_guilds_brand on discord_guilds (brand_id);

-- A Discord user registered with a brand (by using its bot in one of its guilds); in DMs
-- the latest registration says which brand the user is talking to.
create table discord_registrations (
    brand_id      text        not null references brands,
    user_id       text        not null,
    registered_at timestamptz not null,
    primary key (brand_id, user_id)
);

create index discord_registrations_user on discord_registrations (user_id, registered_at desc);

-- The seed's "discord:interaction:lock:{id}" for 60 s: the first delivery of an
-- interaction takes it; another delivery within the TTL is answered "already being
-- processed". Expired locks are taken over and pruned.
create table discord_interaction_locks (
    interaction_id text primary key,
    expires_at     timestamptz not null
);

create index discord_interaction_locks_expiry on discord_interaction_locks (expires_at);

-- The interaction log: every interaction processed, once.
create table discord_interactions (
    brand_id       text        not null,
    interaction_id text        not null,
    type           int         not null,
    user_id        text        not null,
    guild_id       text,
    name           text,
    payload        jsonb       not null,
    received_at    timestamptz not null,
    primary key (brand_id, interaction_id)
);

-- A link that the holder confirms in Discord keeps no code: the interaction is the proof.
alter table network_link_confirmations alter column code_hash drop not null;
alter table network_link_confirmations add column declined_at timestamptz;
