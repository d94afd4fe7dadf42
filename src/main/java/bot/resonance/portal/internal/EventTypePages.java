package bot.resonance.portal.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.brands.Wallet;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.rewards.EventTypes;
import bot.resonance.rewards.EventTypes.EventTypeView;
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
import org.springframework.web.util.UriUtils;

/**
 * {@code /portal/event-types}: the brand's event types and their rules, created, changed,
 * enabled, disabled and deleted through {@link EventTypes}, the service behind {@code PUT
 * /v1/event-types/{type}}. A form's fields are the API's fields, turned into the JSON the
 * API would receive, so the API's checks and messages apply unchanged; a refusal is shown
 * next to the field it names (or above the form).
 */
@Controller
class EventTypePages {

	static final String PATH = "/portal/event-types";

	/** Fields whose form value is a number (or blank for null). */
	private static final Set<String> NUMBERS = Set.of("amount", "cooldown_seconds", "daily_limit", "max_amount",
			"amount_per_unit", "affiliate_amount");

	/** A number as people type it; anything else goes to the API as text it refuses. */
	private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,40}");

	private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{0,40}\\.[0-9]{1,40}");

	private static final Pattern FIELD_MESSAGE = Pattern.compile("^Field '([a-z_]+)'");

	private final Brands brands;

	private final EventTypes eventTypes;

	private final Wallet wallet;

	EventTypePages(Brands brands, EventTypes eventTypes, Wallet wallet) {
		this.brands = brands;
		this.eventTypes = eventTypes;
		this.wallet = wallet;
	}

	@GetMapping({ PATH, PATH + "/" })
	String list(@AuthenticationPrincipal PortalPrincipal user, Model model) {
		return listPage(brand(user), model, "", null);
	}

	@PostMapping(PATH)
	String create(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "name", required = false) @Nullable String name, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "create event types");
		Brand brand = brand(user);
		String typed = (name != null) ? name.strip() : "";
		try {
			EventTypeView existing = this.eventTypes.get(brand, typed);
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return listPage(brand, model, typed,
					"Event type '" + existing.name() + "' exists already: choose it in the list to change it.");
		}
		catch (ApiException refused) {
			if (refused.status() != HttpStatus.NOT_FOUND) {
				response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
				return listPage(brand, model, typed, refused.getMessage());
			}
		}
		EventTypes.Saved saved = this.eventTypes.put(brand, typed,
				JsonPatch.of(JsonNodeFactory.instance.objectNode(), Set.copyOf(EventTypes.FIELDS)));
		redirect.addFlashAttribute("notice",
				"Created " + saved.type().name() + " (disabled). Set its rules and enable it here.");
		return "redirect:" + path(saved.type().name());
	}

	@GetMapping(PATH + "/{type}")
	String edit(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("type") String name, Model model) {
		Brand brand = brand(user);
		EventTypeView type = this.eventTypes.get(brand, name);
		return editPage(brand, type, Form.of(type), Map.of(), null, model);
	}

	@PostMapping(PATH + "/{type}")
	String save(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("type") String name,
			@RequestParam Map<String, String> form, Model model, HttpServletResponse response,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "change event types");
		Brand brand = brand(user);
		// Only types that exist are changed here (PUT would create one).
		EventTypeView type = this.eventTypes.get(brand, name);
		try {
			EventTypes.Saved saved = this.eventTypes.put(brand, type.name(), change(form));
			redirect.addFlashAttribute("notice", "Saved " + saved.type().name() + ": its rules apply from now on.");
			return "redirect:" + PATH;
		}
		catch (ApiException refused) {
			if (refused.status() == HttpStatus.NOT_FOUND) {
				throw refused;
			}
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			String message = (refused.getMessage() != null) ? refused.getMessage() : "The change was refused.";
			String field = fieldOf(message);
			return editPage(brand, type, Form.typed(form, type), (field != null) ? Map.of(field, message) : Map.of(),
					(field != null) ? null : message, model);
		}
	}

	@PostMapping(PATH + "/{type}/enabled")
	String enable(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("type") String name,
			@RequestParam(name = "enabled", required = false) @Nullable String enabled, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "enable or disable event types");
		if (!"true".equals(enabled) && !"false".equals(enabled)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "enabled must be true or false.");
		}
		Brand brand = brand(user);
		EventTypeView type = this.eventTypes.get(brand, name);
		ObjectNode change = JsonNodeFactory.instance.objectNode().put("enabled", Boolean.parseBoolean(enabled));
		EventTypes.Saved saved = this.eventTypes.put(brand, type.name(),
				JsonPatch.of(change, Set.copyOf(EventTypes.FIELDS)));
		redirect.addFlashAttribute("notice",
				(saved.type().enabled() ? "Enabled " : "Disabled ") + saved.type().name() + ".");
		return "redirect:" + PATH;
	}

	@PostMapping(PATH + "/{type}/delete")
	String delete(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("type") String name,
			RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "delete event types");
		Brand brand = brand(user);
		EventTypeView type = this.eventTypes.get(brand, name);
		try {
			this.eventTypes.delete(brand, type.name());
		}
		catch (ApiException refused) {
			if (refused.status() == HttpStatus.NOT_FOUND) {
				throw refused;
			}
			redirect.addFlashAttribute("failure", refused.getMessage());
			return "redirect:" + path(type.name());
		}
		redirect.addFlashAttribute("notice", "Deleted " + type.name() + ".");
		return "redirect:" + PATH;
	}

	private String listPage(Brand brand, Model model, String name, @Nullable String nameError) {
		model.addAttribute("types", this.eventTypes.list(brand).stream().map(Row::of).toList());
		model.addAttribute("newName", name);
		model.addAttribute("nameError", nameError);
		return "portal/event-types";
	}

	private String editPage(Brand brand, EventTypeView type, Form form, Map<String, String> errors,
			@Nullable String failure, Model model) {
		List<String> currencies = new ArrayList<>(
				this.wallet.balances(brand.brandId()).balances().stream().map(Wallet.Balance::currency).toList());
		if (!currencies.contains(type.currency())) {
			currencies.add(0, type.currency());
		}
		model.addAttribute("type", type);
		model.addAttribute("form", form);
		model.addAttribute("fields", FormField.all(form, errors));
		model.addAttribute("errors", errors);
		model.addAttribute("formFailure", failure);
		model.addAttribute("currencies", currencies);
		model.addAttribute("defaultCurrency", brand.defaultCurrency());
		return "portal/event-type";
	}

	private Brand brand(PortalPrincipal user) {
		return this.brands.find(user.brandId()).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	/**
	 * The form as the API's JSON: the fields it carries (a blank one as null), numbers as
	 * JSON numbers when they look like one and as text otherwise, so that the API refuses
	 * them with its own words. An unticked box sends nothing: {@code _enabled} says the
	 * form had it.
	 */
	static JsonPatch change(Map<String, String> form) {
		ObjectNode change = JsonNodeFactory.instance.objectNode();
		for (String field : EventTypes.FIELDS) {
			if (field.equals("enabled")) {
				if (form.containsKey("enabled")) {
					String value = form.get("enabled").strip();
					if (value.equals("true") || value.equals("false")) {
						change.put("enabled", Boolean.parseBoolean(value));
					}
					else {
						change.put("enabled", value);
					}
				}
				else if (form.containsKey("_enabled")) {
					change.put("enabled", false);
				}
				continue;
			}
			if (!form.containsKey(field)) {
				continue;
			}
			String value = form.get(field).strip();
			if (value.isEmpty()) {
				change.putNull(field);
			}
			else if (NUMBERS.contains(field) && INTEGER.matcher(value).matches()) {
				change.put(field, new BigInteger(value));
			}
			else if (NUMBERS.contains(field) && DECIMAL.matcher(value).matches()) {
				change.put(field, new BigDecimal(value));
			}
			else {
				change.put(field, value);
			}
		}
		return JsonPatch.of(change, Set.copyOf(EventTypes.FIELDS));
	}

	/**
	 * The form field an API refusal is about ("Field 'amount' must be…", "amount (…) must
	 * not exceed…", "The brand has no currency…"), or {@code null} for the whole form.
	 */
	static @Nullable String fieldOf(String message) {
		if (message.startsWith("The brand has no currency")) {
			return "currency";
		}
		Matcher named = FIELD_MESSAGE.matcher(message);
		if (named.find() && EventTypes.FIELDS.contains(named.group(1))) {
			return named.group(1);
		}
		for (String field : EventTypes.FIELDS) {
			if (message.startsWith(field + " ")) {
				return field;
			}
		}
		return null;
	}

	private static String path(String name) {
		return PATH + "/" + UriUtils.encodePathSegment(name, java.nio.charset.StandardCharsets.UTF_8);
	}

	static String cooldown(int seconds) {
		return (seconds == 0) ? "None" : SettingsPages.describe(java.time.Duration.ofSeconds(seconds));
	}

	/**
	 * A type as the list shows it.
	 *
	 * @param name the type
	 * @param enabled whether it is rewarded
	 * @param amount its reward
	 * @param currency the currency paid
	 * @param cooldown its cooldown, in words
	 * @param dailyLimit rewards per member per UTC day ({@code null}: none)
	 * @param maxAmount the largest amount an event may ask for ({@code null}: none)
	 * @param amountRule how events without an amount are paid ({@code null}: the fixed
	 * amount)
	 * @param affiliateAmount what the referrer earns ({@code null}: nothing)
	 * @param builtIn whether it is a built-in type
	 */
	public record Row(String name, boolean enabled, long amount, String currency, String cooldown,
			@Nullable Integer dailyLimit, @Nullable Long maxAmount, @Nullable String amountRule,
			@Nullable Long affiliateAmount, boolean builtIn) {

		static Row of(EventTypeView type) {
			String rule = (type.amountField() != null)
					? ((type.amountPerUnit() != null) ? type.amountPerUnit().toPlainString() : "1") + " per metadata."
							+ type.amountField()
					: null;
			return new Row(type.name(), type.enabled(), type.amount(), type.currency(),
					EventTypePages.cooldown(type.cooldownSeconds()), type.dailyLimit(), type.maxAmount(), rule,
					type.affiliateAmount(), type.builtIn());
		}

	}

	/**
	 * The edit form's values, as text: the type's, or what the user typed.
	 */
	public record Form(boolean enabled, String amount, String currency, String cooldownSeconds, String dailyLimit,
			String maxAmount, String amountField, String amountPerUnit, String affiliateAmount) {

		static Form of(EventTypeView type) {
			return new Form(type.enabled(), Long.toString(type.amount()), type.currency(),
					Integer.toString(type.cooldownSeconds()), text(type.dailyLimit()), text(type.maxAmount()),
					text(type.amountField()),
					(type.amountPerUnit() != null) ? type.amountPerUnit().toPlainString() : "",
					text(type.affiliateAmount()));
		}

		static Form typed(Map<String, String> form, EventTypeView type) {
			Map<String, String> values = new LinkedHashMap<>(form);
			return new Form("true".equals(values.get("enabled")), values.getOrDefault("amount", ""),
					values.getOrDefault("currency", type.currency()), values.getOrDefault("cooldown_seconds", ""),
					values.getOrDefault("daily_limit", ""), values.getOrDefault("max_amount", ""),
					values.getOrDefault("amount_field", ""), values.getOrDefault("amount_per_unit", ""),
					values.getOrDefault("affiliate_amount", ""));
		}

		private static String text(@Nullable Object value) {
			return (value != null) ? value.toString() : "";
		}

	}

	/**
	 * A text field of the edit form.
	 *
	 * @param name its name, the API's field
	 * @param id its element id ({@code event-type-cooldown-seconds})
	 * @param label its label
	 * @param hint what it means and takes
	 * @param value its value
	 * @param inputMode the keyboard phones show ({@code null}: text)
	 * @param error why the API refused it ({@code null}: it did not)
	 */
	public record FormField(String name, String id, String label, String hint, String value, @Nullable String inputMode,
			@Nullable String error) {

		static List<FormField> all(Form form, Map<String, String> errors) {
			return List.of(
					field("amount", "Amount",
							"The reward when an event gives none: 1 or more, in the currency's smallest unit.",
							form.amount(), "numeric", errors),
					field("cooldown_seconds", "Cooldown (seconds)",
							"How long after a reward a member cannot earn this type again: 0 for none, at most "
									+ "31536000 (a year).",
							form.cooldownSeconds(), "numeric", errors),
					field("daily_limit", "Daily limit",
							"Rewards per member per UTC day; events over it are pending until the next day. "
									+ "Blank: no limit.",
							form.dailyLimit(), "numeric", errors),
					field("max_amount", "Max amount",
							"The largest amount an event may ask for; also caps what the amount rule pays. "
									+ "Blank: no maximum.",
							form.maxAmount(), "numeric", errors),
					field("amount_field", "Amount rule: metadata field",
							"A top-level metadata field whose value sets the reward of events that give no amount "
									+ "(such as total). Blank: the fixed amount is paid.",
							form.amountField(), null, errors),
					field("amount_per_unit", "Amount rule: per unit",
							"What one unit of that field is worth: more than 0, at most 6 decimal places. Blank: 1.",
							form.amountPerUnit(), "decimal", errors),
					field("affiliate_amount", "Affiliate amount",
							"What the member's referrer earns each time the member is rewarded for this type. "
									+ "Blank: nothing.",
							form.affiliateAmount(), "numeric", errors));
		}

		private static FormField field(String name, String label, String hint, String value, @Nullable String inputMode,
				Map<String, String> errors) {
			return new FormField(name, "event-type-" + name.replace('_', '-'), label, hint, value, inputMode,
					errors.get(name));
		}

	}

}
