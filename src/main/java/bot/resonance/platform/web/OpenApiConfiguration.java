package bot.resonance.platform.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;

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
							.description("The operator token (RESONANCE_ADMIN_TOKEN, or generated on first start)"))
				.addSecuritySchemes("signature",
						new SecurityScheme().type(SecurityScheme.Type.APIKEY)
							.in(SecurityScheme.In.HEADER)
							.name("X-Resonance-Signature")
							.description("The hex HMAC-SHA256 of the exact request body, keyed with the brand's "
									+ "secret key (rsk_...)"))
				.addSchemas("Problem", problemSchema())
				.addSchemas("EventError", eventErrorSchema()));
	}

	/**
	 * What the generator cannot see: which credential each path takes, the errors every
	 * operation may answer with, and a schema for every header parameter.
	 */
	@Bean
	OpenApiCustomizer resonanceOpenApiCustomizer() {
		return (openApi) -> {
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				String scheme = securityOf(path);
				if (scheme != null && (operation.getSecurity() == null || operation.getSecurity().isEmpty())) {
					operation.addSecurityItem(new SecurityRequirement().addList(scheme));
				}
				if (operation.getParameters() != null) {
					operation.getParameters()
						.stream()
						.filter((parameter) -> parameter.getSchema() == null && parameter.getContent() == null)
						.forEach((parameter) -> parameter.setSchema(new StringSchema()));
				}
				ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses()
						: new ApiResponses();
				operation.setResponses(responses);
				boolean events = path.equals("/v1/events") || path.startsWith("/resonance-api/");
				if (responses.keySet().stream().noneMatch((code) -> code.startsWith("4"))) {
					responses.addApiResponse("4XX", new ApiResponse().description(events
							? "Refused: {\"success\": false, \"error\": {\"code\", \"message\"}} with the seed's "
									+ "codes (INVALID_SIGNATURE, BRAND_NOT_FOUND, COOLDOWN_ACTIVE, …)"
							: "Refused: an RFC 9457 problem document with a stable code and the request id"));
				}
				// Every error answer has its shape: the seed's on the event API, a
				// problem
				// document everywhere else.
				responses.forEach((code, response) -> {
					// The generator gives declared error answers the operation's own
					// result
					// schema; they are the error shape instead.
					if (code.startsWith("4") || code.startsWith("5")) {
						response.setContent(
								new Content().addMediaType(events ? "application/json" : "application/problem+json",
										new MediaType().schema(new Schema<>()
											.$ref("#/components/schemas/" + (events ? "EventError" : "Problem")))));
					}
				});
			}));
		};
	}

	/** The credential a path takes; {@code null} for the open ones (signed otherwise). */
	static @Nullable String securityOf(String path) {
		if (path.equals("/v1/events")) {
			return "signature";
		}
		if (path.startsWith("/admin/")) {
			return "adminToken";
		}
		if (path.startsWith("/v1/integrations/shopify/{")) {
			return null; // Shopify's own webhooks, verified by X-Shopify-Hmac-Sha256
		}
		if (path.startsWith("/v1/")) {
			return "apiKey";
		}
		return null; // manual events, Discord interactions, incoming webhook calls:
						// signed
	}

	private static Schema<?> problemSchema() {
		return new ObjectSchema().description("An RFC 9457 problem document")
			.addProperty("type", new StringSchema())
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema())
			.addProperty("code", new StringSchema().description("stable, for programs: invalid_request, not_found, …"))
			.addProperty("request_id", new StringSchema().description("the request's X-Request-Id"));
	}

	private static Schema<?> eventErrorSchema() {
		return new ObjectSchema().description("The event API's error shape (seed 000)")
			.addProperty("success", new BooleanSchema())
			.addProperty("event_id", new StringSchema())
			.addProperty("error",
					new ObjectSchema().addProperty("code", new StringSchema())
						.addProperty("message", new StringSchema())
						.addProperty("retry_after", new IntegerSchema()));
	}

}
