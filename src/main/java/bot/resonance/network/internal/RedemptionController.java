package bot.resonance.network.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.network.Redemption;
import bot.resonance.network.Redemptions;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/redemptions}: a brand spends a person's RSNC with their code. */
@RestController
@RequestMapping("/v1/redemptions")
@Tag(name = "Redemptions",
		description = "RSNC, the network currency, redeemed at this brand with a code the person issued themselves (Discord /wallet code, or emailed by POST /v1/members/{member}/redemption-codes).")
@SecurityRequirement(name = "apiKey")
class RedemptionController {

	private final Redemptions redemptions;

	RedemptionController(Redemptions redemptions) {
		this.redemptions = redemptions;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "redeemRsnc", summary = "Redeem RSNC with a person's code",
			description = "Moves amount RSNC from the person's network balance to this brand's RSNC wallet. A code works once, for a few minutes, up to its amount. Send an Idempotency-Key to retry safely.")
	Redemption redeem(AuthenticatedBrand caller, @Valid @RequestBody RedeemRequest request) {
		return this.redemptions.redeem(caller.brand(), request.code(), request.amount(), request.reference());
	}

	@Schema(example = """
			{"code": "RSNC-7K2Q-M9XD-4TPW", "amount": 500, "reference": "order-1001"}""")
	record RedeemRequest(
			@Schema(description = "The code the person issued (Discord /wallet code, or emailed)") @NotBlank @Size(
					max = 64) String code,
			@Schema(description = "RSNC to redeem, at most the code's amount") @NotNull @Positive Long amount,
			@Schema(description = "Your own reference, kept with the redemption") @Nullable @Size(
					max = 200) String reference) {
	}

}
