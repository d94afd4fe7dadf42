package bot.resonance.brands.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.brands.Wallet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The calling brand's wallet: {@code GET /v1/wallet}, an adapter over {@link Wallet}. */
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

}
