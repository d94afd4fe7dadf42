package bot.resonance.integrations.manual;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.brands.SignatureCheck;
import bot.resonance.integrations.ManualEventChecks;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.rewards.EventRequests;
import bot.resonance.rewards.ManualEventBody;
import org.springframework.stereotype.Service;

/**
 * {@link ManualEventChecks}: the brand is found and the signature verified exactly as
 * {@code POST /resonance-api/manual-event} does it, without recording anything.
 */
@Service
class ManualEventCheckService implements ManualEventChecks {

	private final EventRequests events;

	private final Brands brands;

	private final Clock clock;

	ManualEventCheckService(EventRequests events, Brands brands, Clock clock) {
		this.events = events;
		this.brands = brands;
		this.clock = clock;
	}

	@Override
	public Map<String, Object> check(Request request) {
		byte[] body = request.body();
		Map<String, Object> answer = new LinkedHashMap<>();
		Instant now = this.clock.instant();
		answer.put("ok", true);
		answer.put("server_time", now.toString());
		answer.put("server_time_unix", now.getEpochSecond());
		answer.put("version", Version.current());
		String origin = request.origin();
		String bodyBrand = null;
		if (body.length > 0) {
			try {
				ManualEventBody parsed = this.events.readManualEvent(body);
				bodyBrand = parsed.brandId();
				// A valid body's problem is null (JSON null, not the string "null").
				Map<String, Object> checked = new LinkedHashMap<>();
				checked.put("valid", parsed.request().isValid());
				checked.put("problem", parsed.request().invalidReason());
				answer.put("body", checked);
			}
			catch (RuntimeException ex) {
				answer.put("body", Map.of("valid", false, "problem", String.valueOf(ex.getMessage())));
			}
		}
		String named = ManualEventController.brandNamed(request.brandHeader(), bodyBrand, request.brandQuery());
		ManualEventController.Found found = ManualEventController.find(this.brands, named, origin, request.host());
		Optional<Brand> brand = found.brand();
		Map<String, Object> brandInfo = new LinkedHashMap<>();
		brandInfo.put("named_by", found.namedBy());
		brandInfo.put("found", brand.isPresent());
		brand.ifPresent((b) -> {
			brandInfo.put("brand_id", b.brandId());
			brandInfo.put("accepts_unsigned_manual_events", b.allowUnsignedManualEvents());
			brandInfo.put("requires_timestamp", b.requireTimestamp());
			if (origin != null) {
				brandInfo.put("origin_is_a_brand_domain", Brands.isBrandOrigin(b, origin));
			}
		});
		answer.put("brand", brandInfo);
		String signature = request.signature();
		String timestamp = request.timestamp();
		if (brand.isPresent() && signature != null) {
			Map<String, Object> check = new LinkedHashMap<>();
			SignatureCheck result = this.brands.verifyEventSignature(brand.get().brandId(), body, signature, timestamp);
			check.put("valid", result instanceof SignatureCheck.Valid);
			if (result instanceof SignatureCheck.Invalid invalid) {
				check.put("problem", invalid.reason());
				// What the signature must cover, so integrators can compare with what
				// they signed. The expected signature itself is never shown.
				String signed = ((timestamp != null) ? timestamp.trim() + "." : "")
						+ new String(body, StandardCharsets.UTF_8);
				check.put("signed_string", signed);
				check.put("signed_string_bytes", signed.getBytes(StandardCharsets.UTF_8).length);
				check.put("signed_string_sha256", Hashing.hex(Hashing.sha256(signed.getBytes(StandardCharsets.UTF_8))));
				check.put("how", "hex(HMAC-SHA256(key = your secret key, message = signed_string))");
			}
			answer.put("signature", check);
		}
		return answer;
	}

}
