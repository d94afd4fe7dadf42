package bot.resonance.portal.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import bot.resonance.brands.Brand;
import bot.resonance.brands.BrandSettings;
import bot.resonance.brands.Brands;
import bot.resonance.integrations.ManualEventChecks;
import bot.resonance.integrations.ShopifyIntegration;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The integrations page ({@code /portal/integrations}): manual events (the endpoint, how
 * the brand signs, its domains), the set-up check of {@code /resonance-api/debug} for the
 * brand, and the Shopify settings of {@code /v1/integrations/shopify}. Domains change
 * through {@link BrandSettings} and Shopify through {@link ShopifyIntegration}, the
 * services behind the API, so their rules and messages are the API's. The Shopify webhook
 * secret is write-only: the page shows its last four characters.
 */
@Controller
class IntegrationPages {

	private static final String PAGE = "/portal/integrations";

	private final Brands brands;

	private final BrandSettings settings;

	private final ShopifyIntegration shopify;

	private final ManualEventChecks checks;

	private final JsonMapper json;

	IntegrationPages(Brands brands, BrandSettings settings, ShopifyIntegration shopify, ManualEventChecks checks,
			JsonMapper json) {
		this.brands = brands;
		this.settings = settings;
		this.shopify = shopify;
		this.checks = checks;
		this.json = json;
	}

	@GetMapping(PAGE)
	String integrations(@AuthenticationPrincipal PortalPrincipal user, Model model) {
		return page(user, model);
	}

	@PostMapping(PAGE + "/domains")
	String domains(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "domains", defaultValue = "") String domains, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "change the manual events' domains");
		List<String> given = Arrays.stream(domains.split("[\\s,]+")).filter((domain) -> !domain.isEmpty()).toList();
		ObjectNode change = this.json.createObjectNode();
		ArrayNode list = change.putArray("domains");
		given.forEach(list::add);
		try {
			this.settings.update(user.brandId(), JsonPatch.of(change, BrandSettings.FIELDS));
		}
		catch (ApiException ex) {
			response.setStatus(formStatus(ex));
			model.addAttribute("domainsError", ex.getMessage());
			model.addAttribute("domainsTyped", domains);
			return page(user, model);
		}
		redirect.addFlashAttribute("notice", given.isEmpty() ? "Domains removed." : "Domains saved.");
		return "redirect:" + PAGE;
	}

	@PostMapping(PAGE + "/debug")
	String debug(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "body", defaultValue = "") String body,
			@RequestParam(name = "signature", defaultValue = "") String signature,
			@RequestParam(name = "timestamp", defaultValue = "") String timestamp,
			@RequestParam(name = "origin", defaultValue = "") String origin, Model model) {
		// A check changes nothing: every role may run it. The brand is the user's, named
		// as X-Brand-Id (which wins over a brand_id in the body).
		Map<String, Object> answer = this.checks
			.check(new ManualEventChecks.Request(user.brandId(), null, blankToNull(origin), null,
					body.getBytes(StandardCharsets.UTF_8), blankToNull(signature), blankToNull(timestamp)));
		model.addAttribute("checkOutput", this.json.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
		model.addAttribute("checkBody", body);
		model.addAttribute("checkSignature", signature);
		model.addAttribute("checkTimestamp", timestamp);
		model.addAttribute("checkOrigin", origin);
		return page(user, model);
	}

	@PostMapping(PAGE + "/shopify")
	String shopify(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "webhook_secret", defaultValue = "") String secret,
			@RequestParam(name = "order_topic", defaultValue = "") String orderTopic,
			@RequestParam(name = "event_type", defaultValue = "") String eventType,
			@RequestParam(name = "enabled", required = false) @Nullable String enabled, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "change the Shopify settings");
		ObjectNode change = this.json.createObjectNode();
		// An empty secret keeps the current one (the page never shows it back).
		if (!secret.isEmpty()) {
			change.put("webhook_secret", secret);
		}
		change.put("order_topic", orderTopic);
		change.put("event_type", eventType);
		change.put("enabled", enabled != null);
		ShopifyIntegration.Saved saved;
		try {
			saved = this.shopify.configure(user.brandId(), JsonPatch.of(change, ShopifyIntegration.FIELDS));
		}
		catch (ApiException ex) {
			response.setStatus(formStatus(ex));
			model.addAttribute("shopifyError", ex.getMessage());
			model.addAttribute("shopifyErrorField", field(ex.getMessage(), ShopifyIntegration.FIELDS));
			model.addAttribute("shopifyTyped", new ShopifyForm(orderTopic, eventType, enabled != null));
			return page(user, model);
		}
		redirect.addFlashAttribute("notice", saved.created() ? "Shopify configured." : "Shopify settings saved.");
		return "redirect:" + PAGE;
	}

	@PostMapping(PAGE + "/shopify/remove")
	String removeShopify(@AuthenticationPrincipal PortalPrincipal user, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "remove the Shopify settings");
		if (!this.shopify.remove(user.brandId())) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		redirect.addFlashAttribute("notice", "Shopify settings removed; Shopify's webhooks are now answered 404.");
		return "redirect:" + PAGE;
	}

	private String page(PortalPrincipal user, Model model) {
		Brand brand = this.brands.find(user.brandId())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		String base = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
		model.addAttribute("brand", brand);
		model.addAttribute("manualEventUrl", base + "/resonance-api/manual-event");
		model.addAttribute("debugUrl", base + "/resonance-api/debug");
		if (!model.containsAttribute("domainsTyped")) {
			model.addAttribute("domainsTyped", String.join("\n", brand.domains()));
		}
		Map<String, Object> debug = this.checks
			.check(new ManualEventChecks.Request(brand.brandId(), null, null, null, new byte[0], null, null));
		model.addAttribute("debugOutput", this.json.writerWithDefaultPrettyPrinter().writeValueAsString(debug));
		ShopifyIntegration.@Nullable Settings shopify = this.shopify.settings(brand.brandId()).orElse(null);
		model.addAttribute("shopify", shopify);
		model.addAttribute("shopifyUrl",
				base + ShopifyIntegration.RECEIVER_PATH.replace("{brand_id}", brand.brandId()));
		model.addAttribute("orderTopics", ShopifyIntegration.ORDER_TOPICS);
		if (!model.containsAttribute("shopifyTyped")) {
			model.addAttribute("shopifyTyped",
					(shopify != null) ? new ShopifyForm(shopify.orderTopic(), shopify.eventType(), shopify.enabled())
							: new ShopifyForm(ShopifyIntegration.ORDER_TOPICS.getFirst(), "place_order", true));
		}
		return "portal/integrations";
	}

	/**
	 * A refused form's status: 422 for what the API answers 400, else the API's (409).
	 */
	private static int formStatus(ApiException ex) {
		return (ex.status() == HttpStatus.BAD_REQUEST) ? HttpStatus.UNPROCESSABLE_CONTENT.value() : ex.status().value();
	}

	/** The field an API message names ({@code Field 'order_topic' must …}), if any. */
	private static @Nullable String field(@Nullable String message, Iterable<String> fields) {
		if (message != null) {
			for (String field : fields) {
				if (message.contains("'" + field + "'")) {
					return field;
				}
			}
		}
		return null;
	}

	private static @Nullable String blankToNull(String value) {
		return value.isBlank() ? null : value;
	}

	/**
	 * The Shopify form's values (never the secret).
	 *
	 * @param orderTopic the order topic chosen
	 * @param eventType the event type typed
	 * @param enabled whether the box is ticked
	 */
	public record ShopifyForm(String orderTopic, String eventType, boolean enabled) {
	}

}
