package bot.resonance.webhooks.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import bot.resonance.affiliates.AffiliatePayoutsRecorded;
import bot.resonance.identity.IdentityKind;
import bot.resonance.incoming.CurrencyAdded;
import bot.resonance.identity.IdentityProperties;
import bot.resonance.identity.Members;
import bot.resonance.identity.UserIdentifier;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.ledger.Ledger;
import bot.resonance.rewards.RewardMovement;
import bot.resonance.rewards.RewardReversed;
import bot.resonance.rewards.RewardsRecorded;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns reward movements into {@code reward.earned} messages (every movement) and
 * {@code balance.change} messages (accepted rewards at least the brand's threshold),
 * written to the outbox inside the transaction that recorded the movements.
 */
@Component
class RewardWebhooks {

	private final Webhooks webhooks;

	private final WebhookDirectory directory;

	private final Ledger ledger;

	private final IdentityProperties identity;

	private final Members members;

	/** Currencies never change kind or decimals: remembered once read. */
	private final Map<String, Currency> currencies = new ConcurrentHashMap<>();

	RewardWebhooks(Webhooks webhooks, WebhookDirectory directory, Ledger ledger, IdentityProperties identity,
			Members members) {
		this.members = members;
		this.webhooks = webhooks;
		this.directory = directory;
		this.ledger = ledger;
		this.identity = identity;
	}

	@EventListener
	void on(RewardsRecorded recorded) {
		publish(recorded.movements(), "REWARD");
	}

	@EventListener
	void on(AffiliatePayoutsRecorded recorded) {
		publish(recorded.movements(), "REWARD");
	}

	/**
	 * Currency an incoming webhook added is told as a reward ({@code reward.earned}) and
	 * a balance change; currency it took back, as a negative balance change.
	 */
	@EventListener
	void on(CurrencyAdded added) {
		if (added.amount() > 0) {
			publish(List.of(new RewardMovement(added.brandId(), added.callId(), added.memberId(), added.userId(), null,
					"currency.add", RewardMovement.Status.ACCEPTED, null, added.amount(), added.currency(),
					added.balanceAfter(), added.at())), "INCOMING_WEBHOOK");
		}
		else {
			publishDebit(added.brandId(), added.userId(), added.currency(), -added.amount(), added.balanceAfter(),
					"INCOMING_WEBHOOK", added.at());
		}
	}

	/** A reward taken back (a refund) is a negative balance change. */
	@EventListener
	void on(RewardReversed reversed) {
		publishDebit(reversed.brandId(), reversed.userId(), reversed.currency(), reversed.amount(),
				reversed.balanceAfter(), reversed.reason(), reversed.at());
	}

	/**
	 * Publishes {@code reward.earned} for each movement, and {@code balance.change} for
	 * accepted ones at least the brand's threshold, in the caller's transaction.
	 * @param balanceChangeReason the {@code reason} of {@code balance.change}
	 */
	private void publish(List<RewardMovement> movements, String balanceChangeReason) {
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
			Long threshold = brand.balanceChangeThreshold();
			if (threshold != null && movement.status() == RewardMovement.Status.ACCEPTED
					&& movement.amount() >= threshold && brand.anyWants("balance.change")) {
				Map<String, Object> data = new LinkedHashMap<>();
				data.put("userId", movement.userId());
				data.put("currencyId", movement.currency());
				data.put("delta", "+" + decimal(movement.amount(), currency));
				data.put("newBalance", decimal(movement.balanceAfter(), currency));
				data.put("reason", balanceChangeReason);
				data.put("occurredAt", Webhooks.timestamp(movement.at()));
				publications
					.add(new Webhooks.Publication(movement.brandId(), "balance.change", movement.guildId(), data));
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

	/**
	 * Publishes {@code balance.change} for a debit of a member's balance, if it is at
	 * least the brand's threshold, in the caller's transaction.
	 */
	private void publishDebit(String brandId, String userId, String currencyCode, long amount, long balanceAfter,
			String reason, Instant at) {
		WebhookDirectory.BrandWebhooks brand = this.directory.forBrand(brandId);
		Long threshold = brand.balanceChangeThreshold();
		if (threshold == null || amount < threshold || !brand.anyWants("balance.change")) {
			return;
		}
		Currency currency = currency(brandId, currencyCode);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("userId", userId);
		data.put("currencyId", currencyCode);
		data.put("delta", "-" + decimal(amount, currency));
		data.put("newBalance", decimal(balanceAfter, currency));
		data.put("reason", reason);
		data.put("occurredAt", Webhooks.timestamp(at));
		this.webhooks.publish(new Webhooks.Publication(brandId, "balance.change", null, data));
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
		data.put("currency", Map.of("name", currency.code(), "decimals", currency.decimals()));
		data.put("conversion_name", movement.eventType());
		data.put("created_at", movement.at().toString());
		return data;
	}

	private Currency currency(String brandId, String code) {
		String key = brandId + "/" + code;
		Currency known = this.currencies.get(key);
		if (known != null) {
			return known;
		}
		return this.ledger.currency(brandId, code).map((currency) -> {
			this.currencies.put(key, currency);
			return currency;
		}).orElse(new Currency(brandId, code, CurrencyKind.POINT, 0));
	}

	/** An amount in whole units: 25000 with 2 decimals is {@code 250.00}. */
	static String decimal(long amount, Currency currency) {
		return BigDecimal.valueOf(amount, currency.decimals()).toPlainString();
	}

}
