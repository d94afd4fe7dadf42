package bot.resonance.discord.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import bot.resonance.brands.Brand;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import org.springframework.stereotype.Component;

/**
 * {@code /balance [user]}: what the caller, or another member, holds in the brand's
 * currencies (the default one first). The caller also sees their RSNC, which is theirs
 * across brands and so not shown to others. Looking someone up never makes them a member.
 */
@Component
class BalanceCommand implements SlashCommand {

	private static final CommandSpec SPEC = CommandSpec
		.forMembers("balance", "Your points here, or another member's",
				List.of(CommandSpec.option(CommandSpec.USER, "user", "Whose balance to show (yours if left out)",
						false)))
		// It only reads: no transaction to begin and commit.
		.withoutTransaction();

	private final Members members;

	private final Ledger ledger;

	BalanceCommand(Members members, Ledger ledger) {
		this.members = members;
		this.ledger = ledger;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		Brand brand = call.brand();
		Optional<String> other = call.text("user").filter((user) -> !user.equals(call.userId()));
		if (other.isEmpty()) {
			return balances(brand, call.member(), true, "Your balance", "What you hold with " + brand.name() + ".");
		}
		Optional<Identity> identity = Identity.discord(brand.brandId(), other.get());
		if (identity.isEmpty()) {
			return Answer.ephemeral("That is not a Discord user. Pick a member in the user option.");
		}
		String mention = mention(identity.get().value());
		Optional<Member> member = this.members.find(identity.get());
		if (member.isEmpty()) {
			return Answer.ephemeral(mention + " has not earned anything here yet. Once they take part (/checkin is a"
					+ " good start), their balance shows here.");
		}
		return balances(brand, member.get(), false, "A member's balance",
				"What " + mention + " holds with " + brand.name() + ".");
	}

	private Answer balances(Brand brand, Member member, boolean own, String title, String description) {
		Map<String, AccountKey> accounts = new LinkedHashMap<>();
		Map<String, Integer> decimals = new LinkedHashMap<>();
		accounts.put(brand.defaultCurrency(),
				NetworkCurrency.holder(brand.brandId(), brand.defaultCurrency(), member.id(), member.personId()));
		for (Currency currency : this.ledger.currencies(brand.brandId())) {
			accounts.putIfAbsent(currency.code(),
					NetworkCurrency.holder(brand.brandId(), currency.code(), member.id(), member.personId()));
			decimals.put(currency.code(), currency.decimals());
		}
		if (own) {
			// RSNC is the person's across brands: shown to them, not to other members.
			accounts.putIfAbsent(NetworkCurrency.CODE, NetworkCurrency.person(member.personId()));
		}
		Map<AccountKey, Long> balances = this.ledger.balances(accounts.values());
		List<Map<String, Object>> fields = new ArrayList<>();
		accounts.forEach((code, account) -> fields
			.add(Ui.field(code, amount(balances.getOrDefault(account, 0L), decimals.getOrDefault(code, 0)))));
		String hint = own ? "\nEarn more with /checkin; see what you earned with /history." : "";
		return Answer.ephemeral("", List.of(Ui.embed(brand, title, description + hint, fields)), List.of());
	}

	/** An amount in a currency's smallest unit, written in whole units. */
	static String amount(long smallest, int decimals) {
		return (decimals <= 0) ? Long.toString(smallest)
				: BigDecimal.valueOf(smallest).movePointLeft(decimals).toPlainString();
	}

	/** A user as Discord shows them (nobody is pinged: mentions are not parsed). */
	static String mention(String discordUserId) {
		return "<@" + discordUserId + ">";
	}

}
