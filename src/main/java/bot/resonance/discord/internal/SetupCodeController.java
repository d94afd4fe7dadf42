package bot.resonance.discord.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import bot.resonance.brands.AuthenticatedBrand;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A brand connects its own Discord server: {@code POST /v1/discord/setup-codes}. */
@RestController
@Tag(name = "Discord servers", description = "A brand connects its own Discord servers with one-time setup codes.")
@SecurityRequirement(name = "apiKey")
class SetupCodeController {

	private final SetupCodes codes;

	SetupCodeController(SetupCodes codes) {
		this.codes = codes;
	}

	@PostMapping("/v1/discord/setup-codes")
	@Operation(operationId = "createDiscordSetupCode", summary = "Get a setup code for a Discord server",
			responses = @ApiResponse(responseCode = "201", description = "Issued"),
			description = "A one-time code (XXXX-XXXX) an admin of the brand's Discord server enters with /setup code:… to connect the server to the brand. It works once, for 30 minutes (resonance.discord.setup.code-ttl); it is shown only in this answer. 429 too_many_setup_codes when the brand has 10 unused ones.")
	ResponseEntity<SetupCodes.IssuedCode> create(AuthenticatedBrand caller) {
		return ResponseEntity.status(HttpStatus.CREATED).body(this.codes.issue(caller.brand()));
	}

}
