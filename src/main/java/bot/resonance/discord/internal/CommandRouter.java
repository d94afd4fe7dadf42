package bot.resonance.discord.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Routes commands ({@code execute}), buttons ({@code executeComponent}) and modals
 * ({@code executeModal}) to what answers them, in the interaction's transaction. Refusals
 * a user can act on (too little RSNC, a command that needs a server) are ephemeral
 * messages that say what to do.
 */
@Component
class CommandRouter {

	private final Members members;

	private final Ledger ledger;

	private final Redemptions redemptions;

	private final LinkConfirmations confirmations;

	private final Brands brands;

	private final TransactionTemplate savepoint;

	CommandRouter(Members members, Ledger ledger, Redemptions redemptions, LinkConfirmations confirmations,
			Brands brands, PlatformTransactionManager transactions) {
		this.savepoint = new TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.members = members;
		this.ledger = ledger;
		this.redemptions = redemptions;
		this.confirmations = confirmations;
		this.brands = brands;
	}

	/**
	 * Answers an interaction in the caller's transaction. A refusal undoes what the
	 * command did (to a savepoint) and is told to the user; the rest of the interaction
	 * (its log entry, the registration) stays.
	 */
	Map<String, Object> route(Invocation invocation) {
		try {
			return this.savepoint.execute((status) -> switch (invocation.type()) {
				case 2 -> execute(invocation);
				case 3 -> executeComponent(invocation);
				default -> Reply.ephemeral("This form is not one Resonance knows.");
			});
		}
		catch (ApiException refused) {
			return Reply.ephemeral(refused.getMessage());
		}
		catch (Members.ConcurrentMerge busy) {
			return Reply.ephemeral(busy.getMessage());
		}
	}

	private Map<String, Object> execute(Invocation invocation) {
		return switch (invocation.name()) {
			case "register" -> register(invocation);
			case "wallet" -> wallet(invocation);
			default -> Reply.ephemeral("Unknown command /" + invocation.name() + ".");
		};
	}

	private Map<String, Object> register(Invocation invocation) {
		Person person = person(invocation);
		return Reply.ephemeral("You are registered with " + invocation.brand().name() + ". Your Resonance wallet: `"
				+ person.address() + "`.");
	}

	private Map<String, Object> wallet(Invocation invocation) {
		String sub = invocation.subcommand().map((s) -> s.path("name").asString("")).orElse("balance");
		return switch (sub) {
			case "balance" -> balance(invocation);
			case "code" -> code(invocation);
			case "redeem" -> redeem(invocation);
			case "links" -> links(invocation);
			default -> Reply.ephemeral("Unknown command /wallet " + sub + ".");
		};
	}

	private Map<String, Object> balance(Invocation invocation) {
		Brand brand = invocation.brand();
		Person person = person(invocation);
		AccountKey rsnc = NetworkCurrency.person(person.id());
		AccountKey points = AccountKey.member(brand.brandId(), brand.defaultCurrency(), invocation.member().id());
		Map<AccountKey, Long> balances = this.ledger.balances(List.of(rsnc, points));
		return Reply.message("",
				List.of(Reply.embed(brand.name() + " — your wallet", "`" + person.address() + "`",
						List.of(Reply.field(NetworkCurrency.CODE, Long.toString(balances.getOrDefault(rsnc, 0L))), Reply
							.field(brand.defaultCurrency(), Long.toString(balances.getOrDefault(points, 0L)))))),
				List.of());
	}

	private Map<String, Object> code(Invocation invocation) {
		Long max = invocation.option("max_amount").map((v) -> v.asLong(0)).filter((v) -> v > 0).orElse(null);
		Redemptions.IssuedCode code = this.redemptions.issueCode(invocation.member().personId(), max, "discord");
		return Reply.ephemeral("Your redemption code: `" + code.code() + "`\nGive it to the brand you want to spend "
				+ NetworkCurrency.CODE + " at" + ((max != null) ? " (it allows at most " + max + ")" : "")
				+ ". It works once and expires " + relative(code.expiresAt()) + ".");
	}

	private Map<String, Object> redeem(Invocation invocation) {
		if (invocation.guildId() == null) {
			return Reply.ephemeral("Spend " + NetworkCurrency.CODE
					+ " in the server of the brand you want to spend it at: run /wallet redeem there.");
		}
		long amount = invocation.option("amount").map((v) -> v.asLong(0)).orElse(0L);
		if (amount <= 0) {
			return Reply.ephemeral("Give the amount of " + NetworkCurrency.CODE + " to spend, a whole number above 0.");
		}
		String reference = invocation.option("reference")
			.map((v) -> v.asString(""))
			.filter((v) -> !v.isBlank())
			.map((v) -> (v.length() > 200) ? v.substring(0, 200) : v)
			.orElse(null);
		try {
			Redemption done = this.redemptions.redeemByPerson(invocation.brand(), invocation.member().personId(),
					amount, reference);
			return Reply.ephemeral("You spent " + done.amount() + " " + NetworkCurrency.CODE + " at "
					+ invocation.brand().name() + ". " + NetworkCurrency.CODE + " left: " + done.balance() + ".");
		}
		catch (ApiException refused) {
			if ("insufficient_balance".equals(refused.code())) {
				throw ApiException.unprocessable("insufficient_balance", "You do not have " + amount + " "
						+ NetworkCurrency.CODE + ". Check /wallet balance, earn more, and try again.");
			}
			throw refused;
		}
	}

	private Map<String, Object> links(Invocation invocation) {
		List<LinkConfirmations.WaitingLink> waiting = this.confirmations.waitingFor(invocation.member().personId());
		if (waiting.isEmpty()) {
			return Reply.ephemeral("No brand is waiting for you to confirm a link.");
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
			rows.add(
					Reply.buttons(List.of(new Reply.Button("Confirm (" + shorten(name) + ")", "link:confirm:" + key, 3),
							new Reply.Button("Decline", "link:decline:" + key, 4))));
		}
		content.append("\nConfirm only if you asked for it: linking joins your wallets, RSNC and all.");
		return Reply.message(content.toString(), List.of(), rows);
	}

	private Map<String, Object> executeComponent(Invocation invocation) {
		String[] parts = invocation.name().split(":", 4);
		if (parts.length == 4 && parts[0].equals("link")) {
			long person = invocation.member().personId();
			if (parts[1].equals("confirm")) {
				return this.confirmations.confirmByHolder(parts[2], parts[3], person)
					.map((linked) -> Reply.ephemeral("Linked: your accounts are one wallet now."))
					.orElse(Reply.ephemeral("Nothing to confirm: the link expired, was answered, or is not yours."));
			}
			if (parts[1].equals("decline")) {
				return this.confirmations.declineByHolder(parts[2], parts[3], person)
						? Reply.ephemeral("Declined: nothing was linked.")
						: Reply.ephemeral("Nothing to decline: the link expired, was answered, or is not yours.");
			}
		}
		return Reply.ephemeral("This button is not one Resonance knows any more.");
	}

	private Person person(Invocation invocation) {
		return this.members.person(invocation.member().personId()).orElseThrow();
	}

	private static String relative(Instant at) {
		return "<t:" + at.getEpochSecond() + ":R>";
	}

	private static String shorten(String name) {
		return (name.length() > 40) ? name.substring(0, 40) : name;
	}

}
