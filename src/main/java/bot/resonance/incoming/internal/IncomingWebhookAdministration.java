package bot.resonance.incoming.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import bot.resonance.ledger.Ledger;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.Page;
import bot.resonance.platform.web.TextChecks;
import bot.resonance.platform.crypto.WebhookSecrets;
import bot.resonance.incoming.internal.IncomingWebhookRepository.CallRecord;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What a brand does with its incoming webhooks. */
@Service
public class IncomingWebhookAdministration {

	public static final int DEFAULT_RATE_LIMIT = 60;

	public static final int MAX_RATE_LIMIT = 100_000;

	private final IncomingWebhookRepository repository;

	private final Ledger ledger;

	private final IncomingWebhookProperties properties;

	private final Clock clock;

	IncomingWebhookAdministration(IncomingWebhookRepository repository, Ledger ledger,
			IncomingWebhookProperties properties, Clock clock) {
		this.repository = repository;
		this.ledger = ledger;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Creates a hook. {@code legacySignatures}: whether it also accepts the timeless
	 * {@code X-Signature} (off unless asked).
	 */
	@Transactional
	public IncomingWebhook create(String brandId, String name, List<String> actions,
			@Nullable Integer rateLimitPerMinute, @Nullable String currency, boolean enabled,
			boolean legacySignatures) {
		Instant now = this.clock.instant();
		IncomingWebhook hook = new IncomingWebhook(brandId, UUID.randomUUID(), checkName(name),
				WebhookSecrets.newSecret(), null, null, checkActions(actions),
				checkRateLimit((rateLimitPerMinute != null) ? rateLimitPerMinute : DEFAULT_RATE_LIMIT),
				checkCurrency(brandId, currency), enabled, legacySignatures, now, now);
		this.repository.insert(hook);
		return hook;
	}

	/** Every action a hook can allow: its name and what it does, in the API's order. */
	public static Map<String, String> actions() {
		Map<String, String> actions = new LinkedHashMap<>();
		for (IncomingAction action : IncomingAction.values()) {
			actions.put(action.wireName(), action.description());
		}
		return actions;
	}

	public IncomingWebhook get(String brandId, UUID id) {
		return find(brandId, id, false);
	}

	public Page<IncomingWebhook> list(String brandId, @Nullable UUID startingAfter, int limit) {
		return Page.of(this.repository.list(brandId, startingAfter, limit + 1), limit, (hook) -> hook.id().toString());
	}

	/** Changes a hook; a field that is absent (null here) keeps its value. */
	@Transactional
	public IncomingWebhook update(String brandId, UUID id, @Nullable String name, @Nullable List<String> actions,
			@Nullable Integer rateLimitPerMinute, @Nullable CurrencyChange currency, @Nullable Boolean enabled,
			@Nullable Boolean legacySignatures) {
		IncomingWebhook current = find(brandId, id, true);
		IncomingWebhook updated = new IncomingWebhook(brandId, id, (name != null) ? checkName(name) : current.name(),
				current.secret(), current.previousSecret(), current.previousSecretExpiresAt(),
				(actions != null) ? checkActions(actions) : current.actions(),
				(rateLimitPerMinute != null) ? checkRateLimit(rateLimitPerMinute) : current.rateLimitPerMinute(),
				(currency != null) ? checkCurrency(brandId, currency.value()) : current.currency(),
				(enabled != null) ? enabled : current.enabled(),
				(legacySignatures != null) ? legacySignatures : current.legacySignatures(), current.createdAt(),
				this.clock.instant());
		this.repository.update(updated);
		return updated;
	}

	@Transactional
	public void delete(String brandId, UUID id) {
		find(brandId, id, true);
		this.repository.delete(brandId, id);
	}

	/**
	 * Gives the hook a new secret; the current one keeps verifying for the grace period
	 * (by default {@code resonance.webhooks.secret-grace-period}; zero ends it at once).
	 */
	@Transactional
	public Rotated rotateSecret(String brandId, UUID id, @Nullable Duration gracePeriod) {
		IncomingWebhook current = find(brandId, id, true);
		Instant now = this.clock.instant();
		Duration grace = (gracePeriod != null) ? gracePeriod : this.properties.secretGracePeriod();
		Instant expires = now.plus(grace);
		IncomingWebhook rotated = new IncomingWebhook(brandId, id, current.name(), WebhookSecrets.newSecret(),
				grace.isZero() ? null : current.secret(), grace.isZero() ? null : expires, current.actions(),
				current.rateLimitPerMinute(), current.currency(), current.enabled(), current.legacySignatures(),
				current.createdAt(), now);
		this.repository.update(rotated);
		return new Rotated(rotated, expires);
	}

	public Page<CallRecord> calls(String brandId, UUID id, @Nullable String outcome, @Nullable String startingAfter,
			int limit) {
		find(brandId, id, false);
		if (outcome != null && !List.of("succeeded", "rejected", "failed", "replayed").contains(outcome)) {
			throw ApiException.invalidRequest("outcome must be one of succeeded, rejected, failed, replayed.");
		}
		return Page.of(this.repository.calls(brandId, id, outcome, startingAfter, limit + 1), limit, CallRecord::id);
	}

	private IncomingWebhook find(String brandId, UUID id, boolean lock) {
		return this.repository.find(brandId, id, lock).orElseThrow(() -> notFound(id.toString()));
	}

	static ApiException notFound(String id) {
		return ApiException.notFound("incoming_webhook_not_found",
				"No incoming webhook " + TextChecks.clean(id) + " for this brand.");
	}

	private static String checkName(String name) {
		String trimmed = name.strip();
		if (trimmed.isEmpty() || trimmed.length() > 100) {
			throw ApiException.invalidRequest("name must be 1 to 100 characters.");
		}
		return trimmed;
	}

	private static List<String> checkActions(List<String> actions) {
		if (actions.isEmpty()) {
			throw ApiException.invalidRequest("actions must name at least one action: " + IncomingAction.names() + ".");
		}
		LinkedHashSet<String> checked = new LinkedHashSet<>();
		for (String action : actions) {
			if (IncomingAction.fromWireName(action).isEmpty()) {
				throw ApiException.invalidRequest("actions: unknown action '" + TextChecks.clean(action)
						+ "'. Actions: " + IncomingAction.names() + ".");
			}
			checked.add(action);
		}
		return List.copyOf(checked);
	}

	private static int checkRateLimit(int perMinute) {
		if (perMinute < 1 || perMinute > MAX_RATE_LIMIT) {
			throw ApiException.invalidRequest("rate_limit_per_minute must be between 1 and " + MAX_RATE_LIMIT + ".");
		}
		return perMinute;
	}

	private @Nullable String checkCurrency(String brandId, @Nullable String currency) {
		if (currency == null) {
			return null;
		}
		String code = currency.strip();
		if (code.isEmpty() || code.length() > 32 || this.ledger.currency(brandId, code).isEmpty()) {
			throw ApiException.invalidRequest("currency: the brand has no currency '" + TextChecks.clean(code)
					+ "'. See GET /v1/wallet for its currencies.");
		}
		return code;
	}

	/** A rotated hook and when its previous secret stops verifying. */
	public record Rotated(IncomingWebhook hook, Instant previousSecretExpiresAt) {
	}

	/** A new default currency; {@code value} null: the brand's default. */
	public record CurrencyChange(@Nullable String value) {
	}

}
