-- The interaction log is kept for resonance.discord.interactions.log-retention (90 days by
-- default) and pruned oldest first.
create index discord_interactions_received on discord_interactions (received_at);
