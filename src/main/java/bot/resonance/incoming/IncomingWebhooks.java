package bot.resonance.incoming;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.incoming.internal.IncomingWebhook;
import bot.resonance.incoming.internal.IncomingWebhookAdministration;
import bot.resonance.incoming.internal.IncomingWebhookProperties;
import bot.resonance.incoming.internal.IncomingWebhookRepository.CallRecord;
import bot.resonance.platform.web.Page;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What a brand does with its incoming webhooks, for every adapter (management API,
 * portal, bot): create, change, rotate secrets, delete, read the call log. Refusals are
 * {@link bot.resonance.platform.web.ApiException}s with the management API's codes. A
 * hook's secret is shown only when it is created or rotated.
 */
@Service
public class IncomingWebhooks {

	/** The most calls per minute a hook may accept. */
	public static final int MAX_RATE_LIMIT = IncomingWebhookAdministration.MAX_RATE_LIMIT;

	/** The calls per minute a hook accepts when it is created without a rate limit. */
	public static final int DEFAULT_RATE_LIMIT = IncomingWebhookAdministration.DEFAULT_RATE_LIMIT;

	private final IncomingWebhookAdministration administration;

	private final IncomingWebhookProperties properties;

	private final JsonMapper json;

	IncomingWebhooks(IncomingWebhookAdministration administration, IncomingWebhookProperties properties,
			JsonMapper json) {
		this.administration = administration;
		this.properties = properties;
		this.json = json;
	}

	/**
	 * Creates a hook. {@code legacySignatures}: whether it also accepts the timeless
	 * {@code X-Signature}.
	 */
	public CreatedIncomingHook create(String brandId, String name, List<String> actions,
			@Nullable Integer rateLimitPerMinute, @Nullable String currency, boolean enabled,
			boolean legacySignatures) {
		return created(this.administration.create(brandId, name, actions, rateLimitPerMinute, currency, enabled,
				legacySignatures), null);
	}

	/**
	 * Every action a hook can allow ({@code currency.add}, ...), with what it does. Each
	 * hook's calls, whatever their action, share its {@code rate_limit_per_minute}.
	 */
	public List<Action> actions() {
		return IncomingWebhookAdministration.actions()
			.entrySet()
			.stream()
			.map((action) -> new Action(action.getKey(), action.getValue()))
			.toList();
	}

	public IncomingHookView get(String brandId, UUID id) {
		return view(this.administration.get(brandId, id));
	}

	/** The brand's hooks, oldest first. */
	public Page<IncomingHookView> list(String brandId, @Nullable UUID startingAfter, int limit) {
		Page<IncomingWebhook> page = this.administration.list(brandId, startingAfter, limit);
		return new Page<>(page.data().stream().map(this::view).toList(), page.hasMore(), page.nextCursor());
	}

	/**
	 * Changes what is given ({@code null}: unchanged; {@code currency} given as a
	 * {@link CurrencyChange}, whose null value means the brand's default).
	 */
	public IncomingHookView update(String brandId, UUID id, @Nullable String name, @Nullable List<String> actions,
			@Nullable Integer rateLimitPerMinute, @Nullable CurrencyChange currency, @Nullable Boolean enabled,
			@Nullable Boolean legacySignatures) {
		return view(this.administration.update(brandId, id, name, actions, rateLimitPerMinute,
				(currency != null) ? new IncomingWebhookAdministration.CurrencyChange(currency.value()) : null, enabled,
				legacySignatures));
	}

	public void delete(String brandId, UUID id) {
		this.administration.delete(brandId, id);
	}

	/**
	 * A new secret; the previous one keeps verifying for {@code gracePeriod} (default
	 * {@code resonance.incoming-webhooks.secret-grace-period}).
	 */
	public CreatedIncomingHook rotateSecret(String brandId, UUID id, @Nullable Duration gracePeriod) {
		IncomingWebhookAdministration.Rotated rotated = this.administration.rotateSecret(brandId, id, gracePeriod);
		return created(rotated.hook(), rotated.previousSecretExpiresAt());
	}

	/** The call log, newest first, of one outcome if given. */
	public Page<IncomingCallView> calls(String brandId, UUID id, @Nullable String outcome,
			@Nullable String startingAfter, int limit) {
		Page<CallRecord> page = this.administration.calls(brandId, id, outcome, startingAfter, limit);
		return new Page<>(page.data().stream().map(this::view).toList(), page.hasMore(), page.nextCursor());
	}

	/**
	 * An action a hook can allow.
	 *
	 * @param name its name in calls and in {@code actions} ({@code currency.add})
	 * @param description what it makes the bot do
	 */
	public record Action(String name, String description) {
	}

	/** A currency to set: {@code null} for the brand's default. */
	public record CurrencyChange(@Nullable String value) {
	}

	private IncomingHookView view(IncomingWebhook hook) {
		return new IncomingHookView(hook.id(), hook.name(), url(hook), hook.actions(), hook.rateLimitPerMinute(),
				hook.currency(), hook.enabled(), hook.legacySignatures(), hook.createdAt(), hook.updatedAt());
	}

	private CreatedIncomingHook created(IncomingWebhook hook, java.time.@Nullable Instant previousExpiresAt) {
		return new CreatedIncomingHook(hook.id(), hook.name(), url(hook), hook.actions(), hook.rateLimitPerMinute(),
				hook.currency(), hook.enabled(), hook.legacySignatures(), hook.createdAt(), hook.updatedAt(),
				hook.secret(), previousExpiresAt);
	}

	private IncomingCallView view(CallRecord call) {
		JsonNode response;
		try {
			response = this.json.readTree(call.response());
		}
		catch (JacksonException ex) {
			response = this.json.getNodeFactory().stringNode(call.response());
		}
		return new IncomingCallView(call.id(), call.receivedAt(), call.action(), call.outcome(), call.status(),
				call.errorCode(), call.idempotencyKey(), call.webhookId(), response);
	}

	/**
	 * Where the hook is called: {@code resonance.incoming-webhooks.public-base-url}, else
	 * the address the current request came to.
	 */
	private String url(IncomingWebhook hook) {
		String base = (this.properties.publicBaseUrl() != null) ? this.properties.publicBaseUrl().toString()
				: ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
		if (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		return base + "/hooks/" + hook.brandId() + "/" + hook.id();
	}

}
