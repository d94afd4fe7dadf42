package bot.resonance.ledger;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a currency is, as reported in movements ({@code movement.type}). */
public enum CurrencyKind {

	POINT("point"), ONCHAIN_CURRENCY("onchain-currency"), AIRDROP("airdrop");

	private final String wireName;

	CurrencyKind(String wireName) {
		this.wireName = wireName;
	}

	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	public static Optional<CurrencyKind> fromWireName(String name) {
		return Arrays.stream(values()).filter((kind) -> kind.wireName.equals(name)).findFirst();
	}

}
