package bot.resonance.brands.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.brands.Wallet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.platform.web.JsonPatch;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The calling brand's wallet: {@code GET /v1/wallet}, and its on-chain currencies' token
 * details ({@code PATCH /v1/wallet/currencies/{code}}); an adapter over {@link Wallet}.
 */
@RestController
@Tag(name = "Wallet", description = "The brand's funding wallet, from which rewards are paid.")
@SecurityRequirement(name = "apiKey")
class WalletController {

	private final Wallet wallet;

	WalletController(Wallet wallet) {
		this.wallet = wallet;
	}

	@GetMapping("/v1/wallet")
	@Operation(operationId = "getWallet", summary = "Get the wallet balances",
			responses = @ApiResponse(responseCode = "200",
					description = "The balance in the default currency and in every currency"),
			description = "currency and balance are the default currency's; balances lists every currency.")
	Wallet.WalletView wallet(AuthenticatedBrand caller) {
		return this.wallet.balances(caller.brandId());
	}

	@PatchMapping("/v1/wallet/currencies/{code}")
	@Operation(operationId = "describeWalletToken", summary = "Say which token an on-chain currency is",
			responses = @ApiResponse(responseCode = "200",
					description = "The currency's balance with its token address and chain as saved"),
			description = "Sets address and chain_id of one of the brand's onchain-currency currencies (absent fields "
					+ "are kept, null clears one). Reward webhooks' movement.currency carries them from then on. "
					+ "currency_not_found (404) for a code the brand does not have; invalid_request (400) for another "
					+ "kind of currency or a malformed value.")
	Wallet.Balance describeToken(AuthenticatedBrand caller, @PathVariable("code") String code,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @io.swagger.v3.oas.annotations.media.Content(
							schema = @io.swagger.v3.oas.annotations.media.Schema(
									implementation = TokenPatch.class))) @RequestBody JsonNode body) {
		return this.wallet.describeToken(caller.brandId(), code, JsonPatch.of(body, Wallet.TOKEN_FIELDS));
	}

	@Schema(description = "Absent fields are kept; null clears one", example = """
			{"address": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "chain_id": "8453"}""")
	record TokenPatch(
			@Schema(description = "The token's address (contract, mint or issuer), 1 to 128 letters or "
					+ "digits; one starting with 0x is an EVM address, 0x and 40 hex digits") @Nullable String address,
			@Schema(description = "The chain the token lives on, 1 to 64 letters, digits, :, _ or - (1, 8453, "
					+ "eip155:1, solana:mainnet)") @Nullable String chainId) {
	}

}
