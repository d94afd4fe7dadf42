package bot.resonance.discordapi;

/** A role Discord gave (or confirmed) to a guild member. */
public record RoleAssignment(String guildId, String userId, String roleId) {
}
