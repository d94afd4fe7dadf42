package bot.resonance.discord.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.identity.Members;
import bot.resonance.identity.Person;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.network.LinkConfirmations;
import bot.resonance.network.Redemption;
import bot.resonance.network.Redemptions;
import bot.resonance.platform.web.ApiException;
import org.springframework.stereotype.Component;

/**
 * {@code /wallet}: the person's network wallet. {@code balance} shows it with the brand's
 * points, {@code code} issues a one-time redemption code, {@code redeem} spends RSNC at
 * the server's brand, {@code links} lists the brands waiting for the person to confirm a
 * link, with buttons to confirm or decline.
 */
@Component
class WalletCommand implements SlashCommand {

	private static final CommandSpec SPEC = CommandSpec.forMembers("wallet", "Your Resonance wallet and RSNC",
			List.of(CommandSpec.subcommand("balance", "Your wallet address, RSNC and this server's points", List.of()),
					CommandSpec.subcommand("code", "A one-time code to spend RSNC at a brand",
							List.of(CommandSpec.integer("max_amount", "The most the code may spend", false, 1, null))),
					CommandSpec.subcommand("redeem", "Spend RSNC at this server's brand",
							List.of(CommandSpec.integer("amount", "How much RSNC to spend", true, 1, null),
									CommandSpec.option(CommandSpec.STRING, "reference", "What it is for", false))),
					CommandSpec.subcommand("links", "Brands asking to link one of your accounts", List.of())));

	private final Members members;

	private final Ledger ledger;

	private final Redemptions redemptions;

	private final LinkConfirmations confirmations;

	private final Brands brands;

	WalletCommand(Members members, Ledger ledger, Redemptions redemptions, LinkConfirmations confirmations,
			Brands brands) {
		this.members = members;
		this.ledger = ledger;
		this.redemptions = redemptions;
		this.confirmations = confirmations;
		this.brands = brands;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		String sub = call.subcommand().orElse("balance");
		return switch (sub) {
			case "balance" -> balance(call);
			case "code" -> code(call);
			case "redeem" -> redeem(call);
			case "links" -> links(call);
			default -> Answer.ephemeral("Unknown command /wallet " + Ui.clip(sub, 32) + ".");
		};
	}

	private Answer balance(CommandCall call) {
		Brand brand = call.brand();
		Person person = this.members.person(call.member().personId()).orElseThrow();
		AccountKey rsnc = NetworkCurrency.person(person.id());
		AccountKey points = AccountKey.member(brand.brandId(), brand.defaultCurrency(), call.member().id());
		Map<AccountKey, Long> balances = this.ledger.balances(List.of(rsnc, points));
		return Answer.ephemeral("",
				List.of(Ui.embed(brand, brand.name() + " — your wallet", "`" + person.address() + "`",
						List.of(Ui.field(NetworkCurrency.CODE, Long.toString(balances.getOrDefault(rsnc, 0L))),
								Ui.field(brand.defaultCurrency(), Long.toString(balances.getOrDefault(points, 0L)))))),
				List.of());
	}

	@Override
	public Set<String> guildOnlySubcommands() {
		return Set.of("redeem");
	}

	private Answer code(CommandCall call) {
		// Only a code asked for without max_amount is uncapped: a cap given wrong is
		// refused,
		// never dropped.
		Long max = null;
		if (call.option("max_amount").isPresent()) {
			max = call.number("max_amount").filter((v) -> v > 0).orElse(null);
			if (max == null) {
				return Answer.ephemeral("max_amount must be a whole number of " + NetworkCurrency.CODE
						+ " above 0, or left out for a code without a cap. No code was made.");
			}
		}
		Redemptions.IssuedCode code = this.redemptions.issueCode(call.member().personId(), max, "discord");
		return Answer.ephemeral("Your redemption code: `" + code.code() + "`\nGive it to the brand you want to spend "
				+ NetworkCurrency.CODE + " at" + ((max != null) ? " (it allows at most " + max + ")" : "")
				+ ". It works once and expires " + relative(code.expiresAt()) + ".");
	}

	private Answer redeem(CommandCall call) {
		if (call.guildId() == null) {
			return Answer.ephemeral("Spend " + NetworkCurrency.CODE
					+ " in the server of the brand you want to spend it at: run /wallet redeem there.");
		}
		long amount = call.number("amount").orElse(0L);
		if (amount <= 0) {
			return Answer
				.ephemeral("Give the amount of " + NetworkCurrency.CODE + " to spend, a whole number above 0.");
		}
		String reference = call.text("reference").map((v) -> Ui.clip(v, 200)).orElse(null);
		try {
			Redemption done = this.redemptions.redeemByPerson(call.brand(), call.member().personId(), amount,
					reference);
			return Answer.ephemeral("You spent " + done.amount() + " " + NetworkCurrency.CODE + " at "
					+ call.brand().name() + ". " + NetworkCurrency.CODE + " left: " + done.balance() + ".");
		}
		catch (ApiException refused) {
			if ("insufficient_balance".equals(refused.code())) {
				throw ApiException.unprocessable("insufficient_balance", "You do not have " + amount + " "
						+ NetworkCurrency.CODE + ". Check /wallet balance, earn more, and try again.");
			}
			throw refused;
		}
	}

	private Answer links(CommandCall call) {
		List<LinkConfirmations.WaitingLink> waiting = this.confirmations.waitingFor(call.member().personId());
		if (waiting.isEmpty()) {
			return Answer.ephemeral("No brand is waiting for you to confirm a link.");
		}
		List<Map<String, Object>> rows = new ArrayList<>();
		StringBuilder content = new StringBuilder("Brands asking to link one of your accounts to theirs:");
		for (LinkConfirmations.WaitingLink link : waiting.subList(0, Math.min(5, waiting.size()))) {
			String name = this.brands.find(link.brandId()).map(Brand::name).orElse("A brand");
			content.append("\n• ")
				.append(name)
				.append(": ")
				.append(link.what())
				.append(", until ")
				.append(relative(link.expiresAt()));
			String key = link.brandId() + ":" + link.id();
			rows.add(Ui
				.row(List.of(Ui.button("Confirm (" + Ui.clip(name, 40) + ")", "wallet:link:confirm:" + key, Ui.SUCCESS),
						Ui.button("Decline", "wallet:link:decline:" + key, Ui.DANGER))));
		}
		content.append("\nConfirm only if you asked for it: linking joins your wallets, RSNC and all.");
		return Answer.ephemeral(content.toString(), List.of(), rows);
	}

	@Override
	public Answer component(CommandCall call, List<String> arguments) {
		if (arguments.size() == 4 && arguments.get(0).equals("link")) {
			long person = call.member().personId();
			String brandId = arguments.get(2);
			String id = arguments.get(3);
			if (arguments.get(1).equals("confirm")) {
				return this.confirmations.confirmByHolder(brandId, id, person)
					.<Answer>map((linked) -> Answer.ephemeral("Linked: your accounts are one wallet now."))
					.orElse(Answer.ephemeral("Nothing to confirm: the link expired, was answered, or is not yours."));
			}
			if (arguments.get(1).equals("decline")) {
				return this.confirmations.declineByHolder(brandId, id, person)
						? Answer.ephemeral("Declined: nothing was linked.")
						: Answer.ephemeral("Nothing to decline: the link expired, was answered, or is not yours.");
			}
		}
		return SlashCommand.super.component(call, arguments);
	}

	static String relative(Instant at) {
		return "<t:" + at.getEpochSecond() + ":R>";
	}

}
