package bot.resonance.discord.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import bot.resonance.brands.AuthenticatedBrand;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
	ResponseEntity<SetupCodes.IssuedCode> create(AuthenticatedBrand caller,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(required = false,
					description = "None, or an empty object",
					content = @io.swagger.v3.oas.annotations.media.Content(
							schema = @io.swagger.v3.oas.annotations.media.Schema(type = "object", maxProperties = 0,
									example = "{}"))) @RequestBody(required = false) @Nullable JsonNode body) {
		// No body, or an empty object: a code has nothing to choose.
		if (body != null && !body.isNull() && !(body.isObject() && body.isEmpty())) {
			throw ApiException
				.invalidRequest("A setup code takes no fields: send no body, or {}. Got " + (body.isObject()
						? "fields " + String.join(", ", body.propertyNames()) : "a " + body.getNodeType()) + ".");
		}
		return ResponseEntity.status(HttpStatus.CREATED).body(this.codes.issue(caller.brand()));
	}

}
