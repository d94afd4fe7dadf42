package bot.resonance.webhooks.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import bot.resonance.affiliates.AffiliatePayoutsRecorded;
import bot.resonance.identity.IdentityKind;
import bot.resonance.incoming.CurrencyAdded;
import bot.resonance.identity.IdentityProperties;
import bot.resonance.identity.Members;
import bot.resonance.identity.UserIdentifier;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.ledger.AccountKind;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.network.Redemption;
import bot.resonance.network.RsncRedeemed;
import bot.resonance.ledger.PostedTransfer;
import bot.resonance.ledger.TransferContext;
import bot.resonance.ledger.TransferPhase;
import bot.resonance.ledger.TransfersPosted;
import bot.resonance.rewards.RewardMovement;
import bot.resonance.rewards.RewardsRecorded;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns reward movements into {@code reward.earned} messages (every movement) and the
 * ledger's postings into {@code balance.change} messages (changes of members' balances at
 * least the brand's threshold), written to the outbox inside the transaction that
 * recorded them.
 */
@Component
class RewardWebhooks {

	private final Webhooks webhooks;

	private final WebhookDirectory directory;

	private final Ledger ledger;

	private final NetworkCurrency network;

	private final IdentityProperties identity;

	private final Members members;

	RewardWebhooks(Webhooks webhooks, WebhookDirectory directory, Ledger ledger, NetworkCurrency network,
			IdentityProperties identity, Members members) {
		this.members = members;
		this.webhooks = webhooks;
		this.directory = directory;
		this.ledger = ledger;
		this.network = network;
		this.identity = identity;
	}

	@EventListener
	void on(RewardsRecorded recorded) {
		publish(recorded.movements());
	}

	@EventListener
	void on(AffiliatePayoutsRecorded recorded) {
		publish(recorded.movements());
	}

	/**
	 * RSNC redeemed at a brand: a {@code redemption} message with the movement (as
	 * reward.earned's, reason {@code redemption}: RSNC from the person to the brand).
	 */
	@EventListener
	void on(RsncRedeemed redeemed) {
		Redemption redemption = redeemed.redemption();
		WebhookDirectory.BrandWebhooks brand = this.directory.forBrand(redemption.brandId());
		if (brand.endpoints().isEmpty() || !brand.anyWants("redemption")) {
			return;
		}
		Currency currency = currency(redemption.brandId(), NetworkCurrency.CODE);
		Map<String, Object> movement = new LinkedHashMap<>();
		movement.put("id", redemption.id());
		movement.put("type", currency.kind().wireName());
		movement.put("reason", "redemption");
		movement.put("status", "accepted");
		movement.put("status_details", null);
		movement.put("user_identifier", redeemed.userIdentifier());
		movement.put("user_identifier_type", redeemed.userIdentifierType());
		movement.put("user_id", redeemed.userId());
		movement.put("member_id", redemption.memberId());
		movement.put("wallet_address", redemption.walletAddress());
		movement.put("amount", Long.toString(redemption.amount()));
		movement.put("currency", currencyObject(currency));
		movement.put("balance", Long.toString(redemption.balance()));
		movement.put("reference", redemption.reference());
		movement.put("created_at", redemption.createdAt().toString());
		Map<String, Object> topLevel = new LinkedHashMap<>();
		topLevel.put("event_type", "redemption");
		topLevel.put("movement", movement);
		this.webhooks
			.publish(List.of(new Webhooks.Publication(redemption.brandId(), "redemption", null, movement, topLevel)));
	}

	/** Currency an incoming webhook added is told as a reward ({@code reward.earned}). */
	@EventListener
	void on(CurrencyAdded added) {
		if (added.amount() > 0) {
			publish(List.of(new RewardMovement(added.brandId(), added.callId(), added.memberId(), added.userId(), null,
					"currency.add", RewardMovement.Status.ACCEPTED, null, added.amount(), added.currency(),
					added.balanceAfter(), added.at())));
		}
	}

	/**
	 * Every change of a member's balance the ledger posts with a context (see
	 * {@link TransferContext}) and at least the brand's threshold is a
	 * {@code balance.change}: credits as a positive delta, debits as a negative one.
	 * Reserves (pending transfers) and their release change no balance.
	 */
	@EventListener
	void on(TransfersPosted posted) {
		List<Webhooks.Publication> publications = new ArrayList<>();
		for (PostedTransfer transfer : posted.transfers()) {
			TransferContext context = transfer.context();
			if (context == null || transfer.phase() == TransferPhase.PENDING
					|| transfer.phase() == TransferPhase.VOID_PENDING) {
				continue;
			}
			if (transfer.credit().kind() == AccountKind.MEMBER) {
				balanceChange(transfer, context, "+", transfer.creditBalanceAfter(), publications);
			}
			if (transfer.debit().kind() == AccountKind.MEMBER) {
				balanceChange(transfer, context, "-", transfer.debitBalanceAfter(), publications);
			}
		}
		if (!publications.isEmpty()) {
			this.webhooks.publish(publications);
		}
	}

	private void balanceChange(PostedTransfer transfer, TransferContext context, String sign, long balanceAfter,
			List<Webhooks.Publication> publications) {
		// RSNC moves in the network's partition: the brand is the one whose RSNC wallet
		// paid (an award) or received (a redemption).
		String brandId = transfer.brandId();
		if (NetworkCurrency.PARTITION.equals(brandId)) {
			brandId = this.network.brandOfWallet(transfer.debit())
				.or(() -> this.network.brandOfWallet(transfer.credit()))
				.orElse(null);
			if (brandId == null) {
				return;
			}
		}
		WebhookDirectory.BrandWebhooks brand = this.directory.forBrand(brandId);
		Long threshold = brand.balanceChangeThreshold();
		if (threshold == null || transfer.amount() < threshold || brand.endpoints().isEmpty()
				|| !brand.anyWants("balance.change")) {
			return;
		}
		Currency currency = currency(brandId, transfer.debit().currency());
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("userId", context.userId());
		data.put("currencyId", currency.code());
		data.put("delta", sign + decimal(transfer.amount(), currency));
		data.put("newBalance", decimal(balanceAfter, currency));
		data.put("reason", context.reason());
		data.put("occurredAt", Webhooks.timestamp(transfer.createdAt()));
		publications.add(new Webhooks.Publication(brandId, "balance.change", context.guildId(), data));
	}

	/**
	 * Publishes {@code reward.earned} for each movement, in the caller's transaction.
	 */
	private void publish(List<RewardMovement> movements) {
		List<Webhooks.Publication> publications = new ArrayList<>();
		Map<String, Map<Long, UserIdentifier>> identifiers = identifiers(movements);
		for (RewardMovement movement : movements) {
			WebhookDirectory.BrandWebhooks brand = this.directory.forBrand(movement.brandId());
			if (brand.endpoints().isEmpty()) {
				continue;
			}
			Currency currency = currency(movement.brandId(), movement.currency());
			if (brand.anyWants("reward.earned")) {
				Map<String, Object> data = movement(movement, currency,
						identifiers.getOrDefault(movement.brandId(), Map.of()).get(movement.memberId()));
				Map<String, Object> topLevel = new LinkedHashMap<>();
				topLevel.put("event_type", "reward.earned");
				topLevel.put("movement", data);
				publications.add(new Webhooks.Publication(movement.brandId(), "reward.earned", movement.guildId(), data,
						topLevel));
			}
		}
		if (!publications.isEmpty()) {
			this.webhooks.publish(publications);
		}
	}

	/**
	 * The best identifier of each member that receives a reward.earned, per brand, read
	 * in one query per brand.
	 */
	private Map<String, Map<Long, UserIdentifier>> identifiers(List<RewardMovement> movements) {
		Map<String, Set<Long>> wanted = new HashMap<>();
		for (RewardMovement movement : movements) {
			WebhookDirectory.BrandWebhooks brand = this.directory.forBrand(movement.brandId());
			if (!brand.endpoints().isEmpty() && brand.anyWants("reward.earned")) {
				wanted.computeIfAbsent(movement.brandId(), (id) -> new HashSet<>()).add(movement.memberId());
			}
		}
		Map<String, Map<Long, UserIdentifier>> found = new HashMap<>();
		wanted.forEach((brandId, memberIds) -> found.put(brandId, this.members.bestIdentifiers(brandId, memberIds)));
		return found;
	}

	/** The movement object of the reward webhook documentation. */
	private Map<String, Object> movement(RewardMovement movement, Currency currency,
			@Nullable UserIdentifier identifier) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("id", movement.eventId());
		data.put("type", currency.kind().wireName());
		data.put("reason", movement.reason());
		data.put("status", movement.status().wireName());
		data.put("status_details", movement.statusDetails());
		// Until members link a wallet or an email, their Discord identity's alias
		// identifies them.
		// A linked wallet address, else an email (the alias of the Discord identity if
		// nothing better is linked).
		data.put("user_identifier", (identifier != null) ? identifier.value()
				: this.identity.emailAlias(IdentityKind.DISCORD, movement.userId()));
		data.put("user_identifier_type", (identifier != null) ? identifier.type() : "email");
		data.put("user_id", movement.userId());
		data.put("amount", Long.toString(movement.amount()));
		data.put("currency", currencyObject(currency));
		data.put("conversion_name", movement.eventType());
		data.put("created_at", movement.at().toString());
		return data;
	}

	/**
	 * A movement's {@code currency}: its name and decimals, and for an on-chain currency
	 * its token's {@code address} and {@code chain_id} when the brand gave them (absent,
	 * not null, when it did not).
	 */
	static Map<String, Object> currencyObject(Currency currency) {
		Map<String, Object> object = new LinkedHashMap<>();
		object.put("name", currency.code());
		object.put("decimals", currency.decimals());
		if (currency.kind() == CurrencyKind.ONCHAIN_CURRENCY) {
			if (currency.address() != null) {
				object.put("address", currency.address());
			}
			if (currency.chainId() != null) {
				object.put("chain_id", currency.chainId());
			}
		}
		return object;
	}

	/**
	 * The currency as the ledger keeps it (cached there, and forgotten on every node when
	 * a brand describes an on-chain currency's token).
	 */
	private Currency currency(String brandId, String code) {
		return this.ledger.currency(NetworkCurrency.isNetwork(code) ? NetworkCurrency.PARTITION : brandId, code)
			.orElse(new Currency(brandId, code, CurrencyKind.POINT, 0));
	}

	/** An amount in whole units: 25000 with 2 decimals is {@code 250.00}. */
	static String decimal(long amount, Currency currency) {
		return BigDecimal.valueOf(amount, currency.decimals()).toPlainString();
	}

}
