package bot.resonance.integrations.manual;

import java.util.Optional;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.platform.web.CorsPolicy;
import bot.resonance.platform.web.SeedErrors;
import org.springframework.stereotype.Component;

/**
 * Browsers may call the manual-event endpoints from the brand's own domains (seed 001:
 * "your brand ID and configured domain act as the authentication layer"). The brand is
 * the one the request names ({@code X-Brand-Id} cannot be read from a preflight, so
 * {@code ?brand_id=}), else the brand whose domains include the origin's host.
 */
@Component
class ManualEventCors implements CorsPolicy {

	private static final List<String> HEADERS = List.of("content-type", "x-brand-id", "x-resonance-signature",
			"x-resonance-timestamp", "idempotency-key");

	private static final List<String> EXPOSED = List.of("Retry-After", "Idempotent-Replayed");

	private final Brands brands;

	ManualEventCors(Brands brands) {
		this.brands = brands;
	}

	@Override
	public boolean governs(String path) {
		return path.equals("/resonance-api/manual-event") || path.equals("/resonance-api/debug");
	}

	@Override
	public Decision decide(HttpServletRequest request, String origin) {
		String named = request.getHeader(ManualEventController.BRAND_HEADER);
		if (named == null || named.isBlank()) {
			named = request.getParameter("brand_id");
		}
		Optional<Brand> brand = (named != null && !named.isBlank()) ? this.brands.find(named.trim())
				: this.brands.findByOrigin(origin);
		if (brand.isEmpty() || !Brands.isBrandOrigin(brand.get(), origin)) {
			return new Decision.Refused("Only the domains configured for a brand may call the manual-event API "
					+ "from a browser; add this site's host to the brand's domains.");
		}
		List<String> methods = SeedErrors.path(request).endsWith("/debug") ? List.of("GET", "POST") : List.of("POST");
		return new Decision.Allowed(methods, HEADERS, EXPOSED);
	}

}
