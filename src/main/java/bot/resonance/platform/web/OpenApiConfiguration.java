package bot.resonance.platform.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs}, generated from the controllers. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	/**
	 * Schemas use the API's snake_case property names. The document generator has its own
	 * JSON mapper, so it is told the naming explicitly.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver() {
		return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
	}

	@Bean
	OpenAPI resonanceOpenApi() {
		return new OpenAPI().info(new Info().title("Resonance API").version("v1").description("""
				Rewards, economy and webhooks for Discord communities and brands.

				* The event API (POST /v1/events) is signed: X-Resonance-Signature is the hex HMAC-SHA256 of \
				the raw body with the brand's secret key.
				* The management API (/v1/...) takes Authorization: Bearer <api_key>.
				* The operator API (/admin/v1/...) takes Authorization: Bearer <admin token>.
				* Errors are RFC 9457 problem documents with a stable code, except on the event API, which keeps \
				{"success": false, "error": {"code", "message"}}."""))
			.components(new Components()
				.addSecuritySchemes("apiKey",
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("The brand's API key (rsn_...)"))
				.addSecuritySchemes("adminToken",
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("The operator token (RESONANCE_ADMIN_TOKEN, or generated on first start)")));
	}

}
