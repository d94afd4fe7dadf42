package bot.resonance.discord.internal;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import bot.resonance.discord.GuildBindings;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.Page;
import bot.resonance.platform.web.StrictWholeNumbers;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operator binds Discord guilds to brands. */
@RestController
@RequestMapping("/admin/v1/brands/{brand_id}/guilds")
@Tag(name = "Operator: Discord guilds", description = "Which brand a Discord guild belongs to: one guild, one brand.")
@SecurityRequirement(name = "adminToken")
class GuildAdminController implements StrictWholeNumbers {

	private final GuildBindings bindings;

	GuildAdminController(GuildBindings bindings) {
		this.bindings = bindings;
	}

	@PostMapping
	@Operation(operationId = "bindGuild", summary = "Bind a guild to the brand",
			description = "Interactions in a bound guild are the brand's. Binding it again is fine; guild_bound (409) "
					+ "when another brand has it: one guild, one brand. Takes the admin token.",
			responses = @ApiResponse(responseCode = "201", description = "Bound"))
	ResponseEntity<GuildBindings.Guild> bind(@PathVariable("brand_id") String brandId,
			@Valid @RequestBody BindRequest request) {
		return ResponseEntity.status(HttpStatus.CREATED).body(this.bindings.bind(brandId, request.guildId()));
	}

	@GetMapping
	@Operation(operationId = "listGuilds", summary = "List the brand's guilds",
			responses = @ApiResponse(responseCode = "200",
					description = "The guilds bound to the brand, in the order they were bound"),
			description = "The Discord guilds bound to the brand, by the operator or with a setup code, in the order "
					+ "they were bound; a page like every list (limit, starting_after = next_cursor, a guild id). "
					+ "Takes the admin token.")
	Page<GuildBindings.Guild> list(@PathVariable("brand_id") String brandId,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@Parameter(description = "The next_cursor of the previous page") @RequestParam(name = "starting_after",
					required = false) @Nullable String startingAfter) {
		int size = Page.limit(limit);
		// A brand has a handful of guilds: the page is cut from all of them.
		List<GuildBindings.Guild> all = this.bindings.guilds(brandId);
		int from = 0;
		if (startingAfter != null) {
			from = -1;
			for (int i = 0; i < all.size(); i++) {
				if (all.get(i).guildId().equals(startingAfter)) {
					from = i + 1;
				}
			}
			if (from < 0) {
				throw ApiException.invalidRequest("starting_after must be the next_cursor of a previous page.");
			}
		}
		return Page.of(all.subList(from, Math.min(all.size(), from + size + 1)), size, GuildBindings.Guild::guildId);
	}

	@DeleteMapping("/{guildId}")
	@Operation(operationId = "unbindGuild", summary = "Unbind a guild",
			description = "The guild's interactions no longer reach the brand. guild_not_found (404) when it is not "
					+ "bound to this brand. Takes the admin token.",
			responses = @ApiResponse(responseCode = "204", description = "Unbound"))
	ResponseEntity<Void> unbind(@PathVariable("brand_id") String brandId,
			@Parameter(description = "The Discord guild id",
					example = "123456789012345678") @PathVariable("guildId") String guildId) {
		if (!this.bindings.unbind(brandId, guildId)) {
			throw ApiException.notFound("guild_not_found", "Guild " + guildId + " is not bound to this brand.");
		}
		return ResponseEntity.noContent().build();
	}

	@Schema(example = """
			{"guild_id": "123456789012345678"}""")
	record BindRequest(@Schema(description = "The Discord guild id") @NotBlank @Size(max = 24) String guildId) {
	}

}
