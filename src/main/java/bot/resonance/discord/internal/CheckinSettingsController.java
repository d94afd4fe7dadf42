package bot.resonance.discord.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.AuthenticatedBrand;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The brand's {@code /checkin} settings: {@code /v1/discord/checkin}, the grace window
 * that keeps streaks across the UTC day boundary and the streak bonuses.
 */
@RestController
@RequestMapping("/v1/discord/checkin")
@Tag(name = "Discord check-ins",
		description = "How /checkin streaks work in your servers: the grace window and the streak bonuses.")
@SecurityRequirement(name = "apiKey")
class CheckinSettingsController {

	private final CheckinRepository repository;

	private final Clock clock;

	CheckinSettingsController(CheckinRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
	}

	@GetMapping
	@Operation(operationId = "getCheckinSettings", summary = "Get the check-in settings",
			responses = @ApiResponse(responseCode = "200",
					description = "The settings in force (the defaults if never changed)"),
			description = "A brand that changed nothing has 12 hours of grace and no bonuses.")
	SettingsView get(AuthenticatedBrand caller) {
		return SettingsView.of(this.repository.settings(caller.brandId()));
	}

	@PutMapping
	@Operation(operationId = "updateCheckinSettings", summary = "Change the check-in settings",
			description = "Fields not sent keep their value; bonuses replaces the whole list ([] for none). A check-in "
					+ "continues a streak on the UTC day after the last one, or up to grace_hours (0 to 24) after that "
					+ "day ends. On streak days that are multiples of a bonus's every_days (2 to 365) the reward is "
					+ "the daily_checkin type's amount × multiplier (1 to 10, at most two decimals), rounded down and "
					+ "capped by its max_amount; when several apply, the highest wins. At most 10 bonuses.",
			responses = { @ApiResponse(responseCode = "200", description = "The settings as saved"), @ApiResponse(
					responseCode = "400", description = "invalid_request: a field is malformed; the detail names it") })
	SettingsView put(AuthenticatedBrand caller,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(schema = @Schema(implementation = SettingsView.class))) @RequestBody(
							required = false) @Nullable JsonNode body) {
		return SettingsView
			.of(this.repository.change(caller.brandId(), (current) -> current.changedBy(body), this.clock.instant()));
	}

	/** The settings as the API shows and takes them. */
	@Schema(name = "CheckinSettings",
			example = """
					{"grace_hours": 12, "bonuses": [{"every_days": 7, "multiplier": 2}, {"every_days": 30, "multiplier": 5}]}""")
	record SettingsView(
			@Schema(description = "Hours after the day following a member's last check-in ends during which a "
					+ "check-in still continues their streak", example = "12", minimum = "0",
					maximum = "24") int graceHours,
			@ArraySchema(maxItems = 10, schema = @Schema(implementation = BonusView.class), arraySchema = @Schema(
					description = "The streak bonuses; at most 10, the highest that applies wins")) List<BonusView> bonuses) {

		static SettingsView of(CheckinSettings settings) {
			return new SettingsView(settings.graceHours(),
					settings.bonuses().stream().map((b) -> new BonusView(b.everyDays(), b.multiplier())).toList());
		}

	}

	/** A streak bonus. */
	@Schema(name = "CheckinBonus")
	record BonusView(
			@Schema(description = "The bonus is paid on streak days that are multiples of this", example = "7",
					minimum = "2", maximum = "365") int everyDays,
			@Schema(description = "The reward on those days is the type's amount times this, rounded down",
					example = "2", minimum = "1", maximum = "10") BigDecimal multiplier) {
	}

}
