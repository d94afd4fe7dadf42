-- Portal accounts: sessions that end when the user is removed or their password changes, an
-- optional second factor (TOTP), and one-time password-reset links.
--
-- session_version: every session remembers the version it was signed in with and is re-checked
-- on each request; raising the version (new password) ends every other session at once.
-- totp_secret: the base32 TOTP secret, sealed like the other stored secrets when a sealing key
-- is set (RESONANCE_SEALING_KEY); null while two-factor sign-in is off.
-- totp_last_step: the last 30-second step a code was accepted for; a code for it or an earlier
-- step is refused, so a code cannot be used twice.
alter table portal_users
    add column session_version bigint not null default 0,
    add column totp_secret     text,
    add column totp_last_step  bigint;

-- One-time password-reset links: only the SHA-256 of the token is kept. Using one, or setting a
-- new password any other way, uses up every open link of the user.
create table portal_password_resets (
    id         text primary key,
    token_hash text        not null unique,
    user_id    text        not null references portal_users on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz
);

create index portal_password_resets_user on portal_password_resets (user_id);
