-- Affiliates: a member's referrer earns an affiliate payout when the member is rewarded for an
-- event type that defines one.

alter table reward_event_types add column affiliate_amount bigint check (affiliate_amount > 0);

-- Who referred whom (a member has at most one referrer; no one refers themselves).
create table member_referrals (
    brand_id    text        not null,
    member_id   bigint      not null,
    referrer_id bigint      not null,
    created_at  timestamptz not null,
    primary key (brand_id, member_id),
    check (member_id <> referrer_id)
);

create index member_referrals_referrer on member_referrals (brand_id, referrer_id);

-- Referral codes, made on first request; a member merged into another brings theirs along.
create table referral_codes (
    brand_id   text        not null,
    code       text        not null,
    member_id  bigint      not null,
    created_at timestamptz not null,
    primary key (brand_id, code)
);

create index referral_codes_member on referral_codes (brand_id, member_id, created_at);

-- The affiliate payout of each rewarded event whose member had a referrer.
create table reward_affiliate_payouts (
    brand_id    text        not null,
    event_id    text        not null,
    referrer_id bigint      not null,
    amount      bigint      not null check (amount > 0),
    status      text        not null check (status in ('paid', 'rejected')),
    reason      text,
    created_at  timestamptz not null,
    primary key (brand_id, event_id)
);
