package bot.resonance.discord;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import bot.resonance.brands.Brands;
import bot.resonance.discord.internal.DiscordRepository;
import bot.resonance.platform.web.ApiException;
import org.springframework.stereotype.Service;

/**
 * Which brand a Discord guild belongs to: one guild, one brand. Interactions in a bound
 * guild, and events sent with its id as {@code server_id}, are that brand's.
 */
@Service
public class GuildBindings {

	private static final Pattern SNOWFLAKE = Pattern.compile("[1-9][0-9]{0,19}");

	private final DiscordRepository repository;

	private final Brands brands;

	private final Clock clock;

	GuildBindings(DiscordRepository repository, Brands brands, Clock clock) {
		this.repository = repository;
		this.brands = brands;
		this.clock = clock;
	}

	/**
	 * Binds a guild to a brand (binding it again is fine).
	 * @throws ApiException {@code 409 guild_bound} if another brand has it
	 */
	public Guild bind(String brandId, String guildId) {
		requireBrand(brandId);
		if (!SNOWFLAKE.matcher(guildId).matches()) {
			throw ApiException.invalidRequest("guild_id must be a Discord guild id (a snowflake: digits).");
		}
		String owner = this.repository.bind(guildId, brandId, this.clock.instant());
		if (!owner.equals(brandId)) {
			throw ApiException.conflict("guild_bound",
					"Guild " + guildId + " is bound to another brand; unbind it there first.");
		}
		return guilds(brandId).stream().filter((g) -> g.guildId().equals(guildId)).findFirst().orElseThrow();
	}

	/**
	 * The guilds bound to a brand, in the order they were bound.
	 * @throws ApiException {@code 404 brand_not_found} if there is no such brand
	 */
	public List<Guild> guilds(String brandId) {
		requireBrand(brandId);
		return this.repository.guilds(brandId)
			.stream()
			.map((g) -> new Guild(g.guildId(), brandId, g.boundAt()))
			.toList();
	}

	/**
	 * Unbinds a guild from a brand; {@code false} if it was not bound to it.
	 * @throws ApiException {@code 404 brand_not_found} if there is no such brand
	 */
	public boolean unbind(String brandId, String guildId) {
		requireBrand(brandId);
		return this.repository.unbind(brandId, guildId);
	}

	private void requireBrand(String brandId) {
		this.brands.find(brandId)
			.orElseThrow(() -> ApiException.notFound("brand_not_found", "No brand " + brandId + "."));
	}

	/** The brand a guild belongs to, if it is bound. */
	public Optional<String> brandOf(String guildId) {
		return this.repository.brandOf(guildId);
	}

	/** A guild bound to a brand. */
	public record Guild(String guildId, String brandId, Instant boundAt) {
	}

}
