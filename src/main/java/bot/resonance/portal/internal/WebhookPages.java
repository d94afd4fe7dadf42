package bot.resonance.portal.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.incoming.CreatedIncomingHook;
import bot.resonance.incoming.IncomingCallView;
import bot.resonance.incoming.IncomingHookView;
import bot.resonance.incoming.IncomingWebhooks;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.Page;
import bot.resonance.webhooks.DeliveryView;
import bot.resonance.webhooks.Endpoint;
import bot.resonance.webhooks.WebhookAdministration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The webhook pages, as the bot webhook guide walks them: the list of outgoing and
 * incoming webhooks, "Create webhook" (Outgoing or Incoming, the secret shown once), an
 * outgoing webhook's page (subscriptions, the Test button per catalogue event, Pause and
 * Resume, recovery, the live delivery log with Re-queue for DEAD deliveries) and an
 * incoming webhook's page (its URL, allowed actions, the live call log). Every page reads
 * and changes through {@link WebhookAdministration} and {@link IncomingWebhooks}, the
 * services behind {@code /v1/webhooks} and {@code /v1/incoming-webhooks}, so the pages
 * and the API cannot disagree; the API's refusals are shown next to the field they name.
 */
@Controller
class WebhookPages {

	private static final String LIST = "/portal/webhooks";

	/** How many deliveries and calls the live logs show, newest first. */
	private static final int LOG_SIZE = 25;

	/** The API's longest description of an outgoing webhook. */
	private static final int MAX_DESCRIPTION = 500;

	private final WebhookAdministration outgoing;

	private final IncomingWebhooks incoming;

	/** The flash attribute that hands a secret just made to the page that shows it. */
	private static final String SHOWN_SECRET = "shownSecret";

	private static final String SHOWN_ONCE = "A secret is shown only once, right after it is made: rotate it for a new one.";

	private final Clock clock;

	WebhookPages(WebhookAdministration outgoing, IncomingWebhooks incoming, Clock clock) {
		this.outgoing = outgoing;
		this.incoming = incoming;
		this.clock = clock;
	}

	// ---- the list and "Create webhook"

	@GetMapping({ LIST, LIST + "/" })
	String list(@AuthenticationPrincipal PortalPrincipal user, Model model) {
		String brandId = user.brandId();
		Map<UUID, WebhookAdministration.DeliveryStats> stats = this.outgoing.deliveryStats(brandId,
				this.clock.instant().minus(Duration.ofHours(24)));
		model.addAttribute("outgoing",
				allEndpoints(brandId).stream().map((e) -> WebhookRows.OutgoingRow.of(e, stats.get(e.id()))).toList());
		model.addAttribute("incoming", allHooks(brandId).stream().map((hook) -> {
			List<IncomingCallView> last = this.incoming.calls(brandId, hook.id(), null, null, 1).data();
			return WebhookRows.IncomingRow.of(hook, last.isEmpty() ? null : last.getFirst());
		}).toList());
		return "portal/webhooks";
	}

	@GetMapping(LIST + "/new")
	String create(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "type", required = false) @Nullable String type, Model model) {
		user.require(PortalRole.DEVELOPER, "create webhooks");
		if ("outgoing".equals(type)) {
			outgoingForm(model, "", "", true, List.of(), Map.of());
			return "portal/webhook-new-outgoing";
		}
		if ("incoming".equals(type)) {
			incomingForm(model, "", List.of(), Integer.toString(IncomingWebhooks.DEFAULT_RATE_LIMIT), "", Map.of());
			return "portal/webhook-new-incoming";
		}
		return "portal/webhook-new";
	}

	@PostMapping(LIST + "/outgoing")
	String createOutgoing(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "url", defaultValue = "") String url,
			@RequestParam(name = "description", defaultValue = "") String description,
			@RequestParam(name = "all_events", required = false) @Nullable String allEvents,
			@RequestParam(name = "events", required = false) @Nullable List<String> events, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "create webhooks");
		boolean all = allEvents != null;
		List<String> chosen = (events != null) ? events : List.of();
		try {
			String checkedDescription = description(description);
			WebhookAdministration.Created created = this.outgoing.create(user.brandId(), url, checkedDescription,
					all ? null : chosen, true);
			return showSecret(redirect, LIST + "/" + created.endpoint().id(), created.secret(), false, null);
		}
		catch (ApiException refused) {
			response.setStatus(formStatus(refused));
			outgoingForm(model, url, description, all, chosen, errorOf(refused));
			return "portal/webhook-new-outgoing";
		}
	}

	@PostMapping(LIST + "/incoming")
	String createIncoming(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "name", defaultValue = "") String name,
			@RequestParam(name = "actions", required = false) @Nullable List<String> actions,
			@RequestParam(name = "rate_limit", defaultValue = "") String rateLimit,
			@RequestParam(name = "currency", defaultValue = "") String currency, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "create webhooks");
		List<String> chosen = (actions != null) ? actions : List.of();
		try {
			CreatedIncomingHook created = this.incoming.create(user.brandId(), name, chosen, rateLimit(rateLimit),
					currency.isBlank() ? null : currency, true, false);
			return showSecret(redirect, LIST + "/incoming/" + created.id(), created.secret(), false, null);
		}
		catch (ApiException refused) {
			response.setStatus(formStatus(refused));
			incomingForm(model, name, chosen, rateLimit, currency, errorOf(refused));
			return "portal/webhook-new-incoming";
		}
	}

	// ---- an outgoing webhook

	@GetMapping(LIST + "/{id}")
	String outgoing(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id, Model model) {
		Endpoint endpoint = this.outgoing.get(user.brandId(), uuid(id));
		outgoingPage(user, endpoint, model, endpoint.url(), endpoint.description(), endpoint.eventTypes(), "",
				Map.of());
		return "portal/webhook";
	}

	@GetMapping(LIST + "/{id}/deliveries")
	String deliveryLog(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id, Model model) {
		UUID endpointId = uuid(id);
		model.addAttribute("webhookId", endpointId.toString());
		model.addAttribute("deliveries", deliveries(user.brandId(), endpointId));
		return "portal/webhook :: deliveryLog";
	}

	@PostMapping(LIST + "/{id}/settings")
	String update(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			@RequestParam(name = "url", defaultValue = "") String url,
			@RequestParam(name = "description", defaultValue = "") String description,
			@RequestParam(name = "all_events", required = false) @Nullable String allEvents,
			@RequestParam(name = "events", required = false) @Nullable List<String> events, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "change webhooks");
		UUID endpointId = uuid(id);
		List<String> chosen = (events != null) ? events : List.of();
		List<String> subscriptions = (allEvents != null) ? null : chosen;
		try {
			String checkedDescription = description(description);
			this.outgoing.update(user.brandId(), endpointId, url,
					new WebhookAdministration.Description(checkedDescription),
					new WebhookAdministration.EventTypes(subscriptions), null);
		}
		catch (ApiException refused) {
			if (refused.status() == HttpStatus.NOT_FOUND) {
				throw refused;
			}
			response.setStatus(formStatus(refused));
			outgoingPage(user, this.outgoing.get(user.brandId(), endpointId), model, url, description, subscriptions,
					"", errorOf(refused));
			return "portal/webhook";
		}
		redirect.addFlashAttribute("notice", "Saved the webhook's URL and subscriptions.");
		return "redirect:" + LIST + "/" + endpointId;
	}

	@PostMapping(LIST + "/{id}/test")
	String test(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			@RequestParam(name = "event", defaultValue = "") String event, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "send test events");
		UUID endpointId = uuid(id);
		WebhookAdministration.TestSent sent = this.outgoing.test(user.brandId(), endpointId, event);
		redirect.addFlashAttribute("notice",
				"Sent the " + sent.event() + " example as delivery " + sent.deliveryId() + (sent.status().equals("held")
						? "; it is held until the webhook is resumed." : "; see the delivery log."));
		return "redirect:" + LIST + "/" + endpointId;
	}

	@PostMapping(LIST + "/{id}/pause")
	String pause(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "pause webhooks");
		UUID endpointId = uuid(id);
		this.outgoing.pause(user.brandId(), endpointId);
		redirect.addFlashAttribute("notice", "Paused: deliveries are kept (held) and sent when you resume.");
		return "redirect:" + LIST + "/" + endpointId;
	}

	@PostMapping(LIST + "/{id}/resume")
	String resume(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "resume webhooks");
		UUID endpointId = uuid(id);
		this.outgoing.resume(user.brandId(), endpointId);
		redirect.addFlashAttribute("notice", "Resumed: everything held is being sent.");
		return "redirect:" + LIST + "/" + endpointId;
	}

	@PostMapping(LIST + "/{id}/enable")
	String enable(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "enable webhooks");
		UUID endpointId = uuid(id);
		this.outgoing.update(user.brandId(), endpointId, null, null, null, true);
		redirect.addFlashAttribute("notice", "Enabled: everything held is being sent.");
		return "redirect:" + LIST + "/" + endpointId;
	}

	@PostMapping(LIST + "/{id}/recover")
	String recover(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			@RequestParam(name = "since", defaultValue = "") String since, Model model, HttpServletResponse response,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "re-queue deliveries");
		UUID endpointId = uuid(id);
		Endpoint endpoint = this.outgoing.get(user.brandId(), endpointId);
		Instant from = since(since);
		if (from == null) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			outgoingPage(user, endpoint, model, endpoint.url(), endpoint.description(), endpoint.eventTypes(), since,
					Map.of("since", "since must be an ISO-8601 time, e.g. 2026-11-23T00:00:00Z."));
			return "portal/webhook";
		}
		int requeued = this.outgoing.recover(user.brandId(), endpointId, from);
		redirect.addFlashAttribute("notice", "Re-queued " + requeued + " DEAD "
				+ ((requeued == 1) ? "delivery" : "deliveries") + " created since " + WebhookRows.time(from) + ".");
		return "redirect:" + LIST + "/" + endpointId;
	}

	@PostMapping(LIST + "/{id}/deliveries/{deliveryId}/requeue")
	String requeue(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			@PathVariable("deliveryId") String deliveryId, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "re-queue deliveries");
		UUID endpointId = uuid(id);
		try {
			this.outgoing.retry(user.brandId(), endpointId, deliveryId);
			redirect.addFlashAttribute("notice", "Re-queued delivery " + deliveryId + ".");
		}
		catch (ApiException refused) {
			if (refused.status() != HttpStatus.CONFLICT) {
				throw refused;
			}
			redirect.addFlashAttribute("failure", refused.getMessage());
		}
		return "redirect:" + LIST + "/" + endpointId;
	}

	@PostMapping(LIST + "/{id}/rotate-secret")
	String rotateOutgoing(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "rotate webhook secrets");
		UUID endpointId = uuid(id);
		WebhookAdministration.Rotated rotated = this.outgoing.rotateSecret(user.brandId(), endpointId, null);
		return showSecret(redirect, LIST + "/" + endpointId, rotated.secret(), true,
				WebhookRows.time(rotated.previousSecretExpiresAt()));
	}

	/**
	 * The page of a secret just made, once. The action that made it redirects here (post,
	 * redirect, get) with the secret in the session for this one request, so reloading
	 * the page or going back never sends the action again (no second webhook, no second
	 * rotation); loaded again, it leads to the webhook's page.
	 */
	@GetMapping(LIST + "/{id}/secret")
	String outgoingSecret(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		UUID endpointId = uuid(id);
		WebhookRows.OutgoingRow webhook = WebhookRows.OutgoingRow.of(this.outgoing.get(user.brandId(), endpointId),
				null);
		if (!model.containsAttribute(SHOWN_SECRET)) {
			redirect.addFlashAttribute("notice", SHOWN_ONCE);
			return "redirect:" + LIST + "/" + endpointId;
		}
		noStore(response);
		model.addAttribute("kind", "outgoing");
		model.addAttribute("secret", model.getAttribute(SHOWN_SECRET));
		model.addAttribute("webhook", webhook);
		return "portal/webhook-secret";
	}

	@PostMapping(LIST + "/{id}/delete")
	String delete(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "delete webhooks");
		Endpoint endpoint = this.outgoing.get(user.brandId(), uuid(id));
		this.outgoing.delete(user.brandId(), endpoint.id());
		redirect.addFlashAttribute("notice", "Deleted the webhook to " + endpoint.url() + " and its delivery log.");
		return "redirect:" + LIST;
	}

	// ---- an incoming webhook

	@GetMapping(LIST + "/incoming/{id}")
	String incoming(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id, Model model) {
		IncomingHookView hook = this.incoming.get(user.brandId(), uuid(id));
		incomingPage(user, hook, model, hook.name(), hook.actions(), Integer.toString(hook.rateLimitPerMinute()),
				(hook.currency() != null) ? hook.currency() : "", Map.of());
		return "portal/webhook-incoming";
	}

	@GetMapping(LIST + "/incoming/{id}/calls")
	String callLog(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id, Model model) {
		UUID hookId = uuid(id);
		model.addAttribute("hookId", hookId.toString());
		model.addAttribute("calls", calls(user.brandId(), hookId));
		return "portal/webhook-incoming :: callLog";
	}

	@PostMapping(LIST + "/incoming/{id}/settings")
	String updateIncoming(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			@RequestParam(name = "name", defaultValue = "") String name,
			@RequestParam(name = "actions", required = false) @Nullable List<String> actions,
			@RequestParam(name = "rate_limit", defaultValue = "") String rateLimit,
			@RequestParam(name = "currency", required = false) @Nullable String currency,
			@RequestParam(name = "enabled", required = false) @Nullable String enabled, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "change webhooks");
		UUID hookId = uuid(id);
		List<String> chosen = (actions != null) ? actions : List.of();
		// A form without the field (an older page) keeps the currency; an empty one is
		// the brand's default.
		IncomingWebhooks.CurrencyChange currencyChange = (currency == null) ? null
				: new IncomingWebhooks.CurrencyChange(currency.isBlank() ? null : currency);
		try {
			this.incoming.update(user.brandId(), hookId, name, chosen, rateLimit(rateLimit), currencyChange,
					enabled != null, null);
		}
		catch (ApiException refused) {
			if (refused.status() == HttpStatus.NOT_FOUND) {
				throw refused;
			}
			response.setStatus(formStatus(refused));
			incomingPage(user, this.incoming.get(user.brandId(), hookId), model, name, chosen, rateLimit,
					(currency != null) ? currency : "", errorOf(refused));
			return "portal/webhook-incoming";
		}
		redirect.addFlashAttribute("notice", "Saved the incoming webhook.");
		return "redirect:" + LIST + "/incoming/" + hookId;
	}

	@PostMapping(LIST + "/incoming/{id}/rotate-secret")
	String rotateIncoming(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "rotate webhook secrets");
		CreatedIncomingHook rotated = this.incoming.rotateSecret(user.brandId(), uuid(id), null);
		return showSecret(redirect, LIST + "/incoming/" + rotated.id(), rotated.secret(), true,
				WebhookRows.time(rotated.previousSecretExpiresAt()));
	}

	/** As {@link #outgoingSecret}, for an incoming webhook. */
	@GetMapping(LIST + "/incoming/{id}/secret")
	String incomingSecret(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		IncomingHookView hook = this.incoming.get(user.brandId(), uuid(id));
		if (!model.containsAttribute(SHOWN_SECRET)) {
			redirect.addFlashAttribute("notice", SHOWN_ONCE);
			return "redirect:" + LIST + "/incoming/" + hook.id();
		}
		noStore(response);
		model.addAttribute("kind", "incoming");
		model.addAttribute("secret", model.getAttribute(SHOWN_SECRET));
		model.addAttribute("hook", hook);
		return "portal/webhook-secret";
	}

	/**
	 * Redirects to the page that shows a secret just made (of a new webhook, or rotated:
	 * with when the previous one stops working), handing it over in the session for that
	 * one request.
	 */
	private static String showSecret(RedirectAttributes redirect, String webhookPage, String secret, boolean rotated,
			@Nullable String previousExpiresAt) {
		redirect.addFlashAttribute(SHOWN_SECRET, secret);
		redirect.addFlashAttribute("rotated", rotated);
		if (previousExpiresAt != null) {
			redirect.addFlashAttribute("previousExpiresAt", previousExpiresAt);
		}
		return "redirect:" + webhookPage + "/secret";
	}

	@PostMapping(LIST + "/incoming/{id}/delete")
	String deleteIncoming(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("id") String id,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "delete webhooks");
		IncomingHookView hook = this.incoming.get(user.brandId(), uuid(id));
		this.incoming.delete(user.brandId(), hook.id());
		redirect.addFlashAttribute("notice",
				"Deleted the incoming webhook " + hook.name() + ": its URL no longer works.");
		return "redirect:" + LIST;
	}

	// ---- helpers

	private void outgoingForm(Model model, String url, String description, boolean allEvents, List<String> events,
			Map<String, String> errors) {
		model.addAttribute("url", url);
		model.addAttribute("description", description);
		model.addAttribute("allEvents", allEvents);
		model.addAttribute("events", eventChoices(events));
		model.addAttribute("errors", errors);
	}

	private void incomingForm(Model model, String name, List<String> actions, String rateLimit, String currency,
			Map<String, String> errors) {
		model.addAttribute("name", name);
		model.addAttribute("actions", actionChoices(actions));
		model.addAttribute("rateLimit", rateLimit);
		model.addAttribute("maxRateLimit", IncomingWebhooks.MAX_RATE_LIMIT);
		model.addAttribute("currency", currency);
		model.addAttribute("errors", errors);
	}

	private void outgoingPage(PortalPrincipal user, Endpoint endpoint, Model model, String url,
			@Nullable String description, @Nullable List<String> subscriptions, String since,
			Map<String, String> errors) {
		model.addAttribute("webhook",
				WebhookRows.OutgoingRow.of(endpoint,
						this.outgoing.deliveryStats(user.brandId(), this.clock.instant().minus(Duration.ofHours(24)))
							.get(endpoint.id())));
		model.addAttribute("webhookId", endpoint.id().toString());
		model.addAttribute("url", url);
		model.addAttribute("description", (description != null) ? description : "");
		model.addAttribute("allEvents", subscriptions == null);
		model.addAttribute("events", eventChoices((subscriptions != null) ? subscriptions : List.of()));
		model.addAttribute("catalogue",
				this.outgoing.catalogue()
					.stream()
					.map((event) -> new WebhookRows.Choice(event.name(), event.description(),
							endpoint.subscribes(event.name())))
					.toList());
		model.addAttribute("since",
				since.isEmpty()
						? LocalDateTime.ofInstant(this.clock.instant().minus(Duration.ofHours(24)), ZoneOffset.UTC)
							.truncatedTo(ChronoUnit.MINUTES)
							.toString()
						: since);
		model.addAttribute("deliveries", deliveries(user.brandId(), endpoint.id()));
		model.addAttribute("errors", errors);
	}

	private void incomingPage(PortalPrincipal user, IncomingHookView hook, Model model, String name,
			List<String> actions, String rateLimit, String currency, Map<String, String> errors) {
		model.addAttribute("currency", currency);
		model.addAttribute("hook", WebhookRows.IncomingRow.of(hook, null));
		model.addAttribute("hookId", hook.id().toString());
		model.addAttribute("name", name);
		model.addAttribute("actions", actionChoices(actions));
		model.addAttribute("rateLimit", rateLimit);
		model.addAttribute("maxRateLimit", IncomingWebhooks.MAX_RATE_LIMIT);
		model.addAttribute("calls", calls(user.brandId(), hook.id()));
		model.addAttribute("errors", errors);
	}

	private List<WebhookRows.Choice> eventChoices(List<String> chosen) {
		return this.outgoing.catalogue()
			.stream()
			.map((event) -> new WebhookRows.Choice(event.name(), event.description(), chosen.contains(event.name())))
			.toList();
	}

	private List<WebhookRows.Choice> actionChoices(List<String> chosen) {
		return this.incoming.actions()
			.stream()
			.map((action) -> new WebhookRows.Choice(action.name(), action.description(),
					chosen.contains(action.name())))
			.toList();
	}

	private List<WebhookRows.DeliveryRow> deliveries(String brandId, UUID endpointId) {
		Page<DeliveryView> page = this.outgoing.deliveries(brandId, endpointId, null, null, null, LOG_SIZE);
		return page.data().stream().map(WebhookRows.DeliveryRow::of).toList();
	}

	private List<WebhookRows.CallRow> calls(String brandId, UUID hookId) {
		return this.incoming.calls(brandId, hookId, null, null, LOG_SIZE)
			.data()
			.stream()
			.map(WebhookRows.CallRow::of)
			.toList();
	}

	/** Every endpoint of the brand (a brand has at most a few dozen). */
	private List<Endpoint> allEndpoints(String brandId) {
		List<Endpoint> all = new ArrayList<>();
		UUID after = null;
		Page<Endpoint> page;
		do {
			page = this.outgoing.list(brandId, after, 100);
			all.addAll(page.data());
			after = page.data().isEmpty() ? null : page.data().getLast().id();
		}
		while (page.hasMore() && after != null);
		return all;
	}

	private List<IncomingHookView> allHooks(String brandId) {
		List<IncomingHookView> all = new ArrayList<>();
		UUID after = null;
		Page<IncomingHookView> page;
		do {
			page = this.incoming.list(brandId, after, 100);
			all.addAll(page.data());
			after = page.data().isEmpty() ? null : page.data().getLast().id();
		}
		while (page.hasMore() && after != null);
		return all;
	}

	/** The API's limit on descriptions ({@code @Size(max = 500)}); blank clears it. */
	private static @Nullable String description(String description) {
		String trimmed = description.strip();
		if (trimmed.length() > MAX_DESCRIPTION) {
			throw ApiException.invalidRequest("description must be at most " + MAX_DESCRIPTION + " characters.");
		}
		return trimmed.isEmpty() ? null : trimmed;
	}

	/** A rate limit as typed; blank is the default, anything else must be a number. */
	private static @Nullable Integer rateLimit(String typed) {
		if (typed.isBlank()) {
			return null;
		}
		try {
			return Integer.valueOf(typed.strip());
		}
		catch (NumberFormatException ex) {
			throw ApiException
				.invalidRequest("rate_limit_per_minute must be between 1 and " + IncomingWebhooks.MAX_RATE_LIMIT + ".");
		}
	}

	/**
	 * A time as the API's recover takes it ({@code 2026-11-23T00:00:00Z}, with an
	 * offset), or as a browser's date-and-time field sends it ({@code 2026-11-23T00:00},
	 * read as UTC); {@code null} if it is neither.
	 */
	private static @Nullable Instant since(String typed) {
		String value = typed.strip();
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException notAnInstant) {
			try {
				return OffsetDateTime.parse(value).toInstant();
			}
			catch (DateTimeParseException notAnOffset) {
				try {
					return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
				}
				catch (DateTimeParseException notLocal) {
					return null;
				}
			}
		}
	}

	/** The field an API refusal names, for the message next to it. */
	private static Map<String, String> errorOf(ApiException refused) {
		String detail = refused.getMessage();
		String field = "form";
		for (String name : List.of("url", "description", "event_types", "name", "actions", "rate_limit", "currency")) {
			if (detail.startsWith(name)) {
				field = name;
				break;
			}
		}
		Map<String, String> errors = new HashMap<>();
		errors.put(field, detail);
		return errors;
	}

	/** Invalid input re-renders the form with 422; other refusals keep their status. */
	private static int formStatus(ApiException refused) {
		return (refused.status() == HttpStatus.BAD_REQUEST) ? HttpStatus.UNPROCESSABLE_CONTENT.value()
				: refused.status().value();
	}

	private static void noStore(HttpServletResponse response) {
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
	}

	private static UUID uuid(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

}
