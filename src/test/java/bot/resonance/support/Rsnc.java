package bot.resonance.support;

/** Reads RSNC, the network currency, from the API's answers. */
public final class Rsnc {

	private Rsnc() {
	}

	/** The person's RSNC in a member answer ({@code GET /v1/members/…}). */
	public static long of(ApiResponse member) {
		return in(member, "RSNC");
	}

	/** The brand's RSNC wallet ({@code GET /v1/wallet}). */
	public static long wallet(ResonanceClient client, TestBrand brand) {
		return in(client.get(brand, "/v1/wallet"), "RSNC");
	}

	private static long in(ApiResponse answer, String currency) {
		for (var entry : answer.json().get("balances")) {
			if (entry.get("currency").asString().equals(currency)) {
				return entry.get("balance").asLong();
			}
		}
		throw new AssertionError("No " + currency + " in " + answer);
	}

}
