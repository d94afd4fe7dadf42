package bot.resonance.portal.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.brands.BrandProvisioning;
import bot.resonance.brands.Brands;
import bot.resonance.brands.BrandsProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /portal/settings}: the settings' landing page, and
 * {@code /portal/settings/api-keys}: the brand's {@code brand_id}, the state of its
 * secret keys and API keys, and (for admins) their rotation with a grace period, through
 * {@link BrandProvisioning} as the operator API rotates them. A new credential is shown
 * once, on the answer to the rotation, never again.
 */
@Controller
class SettingsPages {

	static final String API_KEYS = "/portal/settings/api-keys";

	/** The flash attribute that hands a credential just rotated to the page. */
	private static final String JUST_ROTATED = "justRotated";

	/** The longest grace period, as the operator API allows (30 days). */
	static final Duration MAX_GRACE_PERIOD = Duration.ofDays(30);

	private static final List<Duration> GRACE_PERIODS = List.of(Duration.ZERO, Duration.ofHours(1),
			Duration.ofHours(24), Duration.ofDays(7), MAX_GRACE_PERIOD);

	private final Brands brands;

	private final BrandProvisioning provisioning;

	private final BrandsProperties properties;

	SettingsPages(Brands brands, BrandProvisioning provisioning, BrandsProperties properties) {
		this.brands = brands;
		this.provisioning = provisioning;
		this.properties = properties;
	}

	@GetMapping({ "/portal/settings", "/portal/settings/" })
	String settings() {
		return "portal/settings";
	}

	/**
	 * The page, with a credential just rotated when a rotation led here (post, redirect,
	 * get: the new credential is handed over in the session for this one request, so a
	 * reload shows the page without it and rotates nothing again).
	 */
	@GetMapping(API_KEYS)
	String apiKeys(@AuthenticationPrincipal PortalPrincipal user, Model model, HttpServletResponse response) {
		Rotated rotated = (model.getAttribute(JUST_ROTATED) instanceof Rotated just) ? just : null;
		if (rotated != null) {
			noStore(response);
		}
		return page(user, model, rotated, Map.of());
	}

	@PostMapping(API_KEYS + "/rotate-secret")
	String rotateSecret(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "grace_period_seconds", required = false) @Nullable String gracePeriod, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.ADMIN, "rotate the secret key");
		Optional<Duration> grace = gracePeriod(gracePeriod);
		if (grace.isEmpty()) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return page(user, model, null, Map.of("secret", gracePeriodProblem()));
		}
		BrandProvisioning.RotatedCredential rotated = this.provisioning.rotateSecret(user.brandId(), grace.get());
		redirect.addFlashAttribute(JUST_ROTATED, Rotated.of("secret", rotated, grace.get()));
		return "redirect:" + API_KEYS;
	}

	@PostMapping(API_KEYS + "/rotate-api-key")
	String rotateApiKey(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "grace_period_seconds", required = false) @Nullable String gracePeriod, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.ADMIN, "rotate the API key");
		Optional<Duration> grace = gracePeriod(gracePeriod);
		if (grace.isEmpty()) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return page(user, model, null, Map.of("apiKey", gracePeriodProblem()));
		}
		BrandProvisioning.RotatedCredential rotated = this.provisioning.rotateApiKey(user.brandId(), grace.get());
		redirect.addFlashAttribute(JUST_ROTATED, Rotated.of("apiKey", rotated, grace.get()));
		return "redirect:" + API_KEYS;
	}

	private String page(PortalPrincipal user, Model model, @Nullable Rotated rotated, Map<String, String> errors) {
		Brand brand = this.brands.find(user.brandId())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		BrandProvisioning.CredentialState credentials = this.provisioning.credentials(brand.brandId());
		model.addAttribute("brand", brand);
		model.addAttribute("secretKeys", credentials.secretKeys().stream().map(KeyRow::of).toList());
		model.addAttribute("apiKeys", credentials.apiKeys().stream().map(KeyRow::of).toList());
		model.addAttribute("secretGracePeriods", options(this.properties.secretGracePeriod()));
		model.addAttribute("apiKeyGracePeriods", options(this.properties.apiKeyGracePeriod()));
		model.addAttribute("rotated", rotated);
		model.addAttribute("errors", errors);
		return "portal/api-keys";
	}

	/** The grace periods offered, with the configured default among them and chosen. */
	private static List<GracePeriod> options(Duration configured) {
		List<Duration> durations = new ArrayList<>(GRACE_PERIODS);
		if (!durations.contains(configured) && !configured.isNegative()
				&& configured.compareTo(MAX_GRACE_PERIOD) <= 0) {
			durations.add(configured);
			durations.sort(Duration::compareTo);
		}
		return durations.stream()
			.map((duration) -> new GracePeriod(duration.toSeconds(), describe(duration), duration.equals(configured)))
			.toList();
	}

	/** One of the offered grace periods, given in seconds; empty for anything else. */
	private static Optional<Duration> gracePeriod(@Nullable String seconds) {
		if (seconds == null || !seconds.matches("[0-9]{1,8}")) {
			return Optional.empty();
		}
		Duration duration = Duration.ofSeconds(Long.parseLong(seconds));
		return (duration.compareTo(MAX_GRACE_PERIOD) <= 0) ? Optional.of(duration) : Optional.empty();
	}

	private static String gracePeriodProblem() {
		return "Choose how long the previous key keeps working: from at once to 30 days.";
	}

	static String describe(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds == 0) {
			return "No time: it stops at once";
		}
		if (seconds >= 2 * 86_400 && seconds % 86_400 == 0) {
			return plural(duration.toDays(), "day");
		}
		if (seconds % 3_600 == 0) {
			return plural(duration.toHours(), "hour");
		}
		if (seconds % 60 == 0) {
			return plural(duration.toMinutes(), "minute");
		}
		return plural(seconds, "second");
	}

	private static String plural(long count, String unit) {
		return count + " " + unit + ((count == 1) ? "" : "s");
	}

	/** A secret is shown once: no cache may keep the page that shows it. */
	private static void noStore(HttpServletResponse response) {
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setHeader(HttpHeaders.PRAGMA, "no-cache");
	}

	/**
	 * A grace period offered on the page.
	 *
	 * @param seconds its length
	 * @param label how the page says it
	 * @param selected whether it is the configured default
	 */
	public record GracePeriod(long seconds, String label, boolean selected) {
	}

	/**
	 * A credential just issued, shown on this page only.
	 *
	 * @param kind {@code secret} or {@code apiKey}
	 * @param value the new credential
	 * @param previousExpiresAt when the previous one stops working ({@code null}: there
	 * was none)
	 * @param previousStopped whether the previous one stopped working at once
	 */
	public record Rotated(String kind, String value, @Nullable Time previousExpiresAt, boolean previousStopped) {

		static Rotated of(String kind, BrandProvisioning.RotatedCredential rotated, Duration gracePeriod) {
			return new Rotated(kind, rotated.credential(), Time.ofNullable(rotated.previousExpiresAt()),
					rotated.previousExpiresAt() != null && gracePeriod.isZero());
		}

		public boolean secret() {
			return this.kind.equals("secret");
		}

	}

	/**
	 * A working credential as the page lists it.
	 *
	 * @param issued when it was issued
	 * @param expires when it stops working ({@code null}: not rotated out)
	 * @param hint the last characters of an API key ({@code null} for secret keys)
	 */
	public record KeyRow(Time issued, @Nullable Time expires, @Nullable String hint) {

		static KeyRow of(BrandProvisioning.IssuedCredential credential) {
			return new KeyRow(Time.of(credential.createdAt()), Time.ofNullable(credential.expiresAt()),
					credential.hint());
		}

	}

	/**
	 * An instant for a page: {@code iso} for {@code <time datetime>}, {@code text} to
	 * read (UTC, to the minute).
	 */
	public record Time(String iso, String text) {

		static Time of(Instant instant) {
			return new Time(instant.truncatedTo(ChronoUnit.SECONDS).toString(), PortalTime.TEXT.format(instant));
		}

		static @Nullable Time ofNullable(@Nullable Instant instant) {
			return (instant != null) ? of(instant) : null;
		}

	}

}
