-- Amount rules: an event type can pay per unit of a numeric metadata field (1 point per
-- currency unit of an order's total) instead of a fixed amount. amount_per_unit null with
-- amount_field set means 1 per unit.

alter table reward_event_types
    add column amount_field    text check (amount_field ~ '^[a-z0-9_]{1,64}$'),
    add column amount_per_unit numeric check (amount_per_unit > 0);
