-- /checkin: a brand's streak settings and its members' check-in streaks. The check-in
-- itself is a daily_checkin event in reward_events (source 'discord'), like any other.

-- A brand without a row uses the defaults: 12 hours of grace, no bonuses.
create table discord_checkin_settings (
    brand_id    text primary key references brands,
    grace_hours int         not null check (grace_hours between 0 and 24),
    -- [{"every_days": 7, "multiplier": 2}, ...], at most 10
    bonuses     jsonb       not null check (jsonb_typeof(bonuses) = 'array' and jsonb_array_length(bonuses) <= 10),
    updated_at  timestamptz not null
);

-- A member's streak: the UTC day of their last rewarded check-in, how many days in a row
-- it ends (counting days continued within the grace window), and their longest.
create table discord_checkin_streaks (
    brand_id       text        not null,
    member_id      bigint      not null,
    current_streak int         not null check (current_streak > 0),
    best_streak    int         not null check (best_streak >= current_streak),
    last_day       date        not null,
    updated_at     timestamptz not null,
    primary key (brand_id, member_id),
    foreign key (brand_id, member_id) references members (brand_id, id)
);
