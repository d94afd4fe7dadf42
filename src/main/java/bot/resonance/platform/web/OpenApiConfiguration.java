package bot.resonance.platform.web;

import java.util.List;
import java.util.Map;

import java.lang.reflect.Executable;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
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
import org.springframework.http.HttpStatusCode;

/** The OpenAPI document at {@code /v3/api-docs}, generated from the controllers. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	/** The error code an answer's description begins with, on each error shape. */
	private static final Pattern PROBLEM_CODE = Pattern.compile("[a-z][a-z_]+");

	private static final Pattern EVENT_ERROR_CODE = Pattern.compile("[A-Z][A-Z_]+");

	/**
	 * The parameters many operations share, described once: name to description and
	 * example. An operation's own {@code @Parameter} description wins.
	 */
	static final Map<String, SharedParameter> SHARED_PARAMETERS = Map.ofEntries(
			Map.entry("limit", new SharedParameter("Page size, 1 to 100; 20 when absent", 20)),
			Map.entry("starting_after",
					new SharedParameter("The next_cursor of the previous page; absent for the first page", null)),
			Map.entry("member", new SharedParameter(
					"Any identity of the member: a Discord user id, an email (discord_{id}@rsnc.network aliases "
							+ "included), an EVM, Solana or XRPL address, or kind:value (telegram:123)",
					"123456789012345678")),
			Map.entry("brand_id",
					new SharedParameter("The brand's id (its wallet address)",
							"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")),
			Map.entry("webhook_id",
					new SharedParameter("The webhook endpoint's id", "5f0c6c1e-7d1a-4f7e-9a8e-2b6f1c9d4e21")),
			Map.entry("hook_id",
					new SharedParameter("The incoming webhook's id", "0b8e2f4a-3c5d-4e6f-8a9b-1c2d3e4f5a6b")),
			Map.entry("event_id",
					new SharedParameter("The event's id, as answered by POST /v1/events",
							"evt_01HXYZ3NDEKTSV4RRFFQ69G5FAV")),
			Map.entry("event_type",
					new SharedParameter("The event type's name (lowercase letters, digits and _, up to 64)",
							"daily_checkin")),
			Map.entry("code", new SharedParameter(
					"A currency's code, as the wallet's balances name it (upper-case letters, digits and _)", "USDC")));

	/**
	 * A parameter's description and example.
	 *
	 * @param description what it is
	 * @param example a value, of the parameter's type
	 */
	record SharedParameter(String description, @Nullable Object example) {
	}

	/**
	 * Schemas use the API's snake_case property names. The document generator has its own
	 * JSON mapper, so it is told the naming explicitly.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver() {
		return new NullableTypesModelResolver(
				Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
	}

	/**
	 * Describes what the generator cannot see on the API's records: {@code @Nullable}
	 * (JSpecify) on a component's type, a type annotation rather than a declaration's, so
	 * such a property is typed "or null" (answers carry every property, {@code null} when
	 * there is no value); and a {@code @JsonRawValue} text, sent as the JSON value it
	 * holds, so any JSON value.
	 */
	static final class NullableTypesModelResolver extends ModelResolver {

		NullableTypesModelResolver(ObjectMapper mapper) {
			super(mapper);
		}

		@Override
		@SuppressWarnings({ "rawtypes", "unchecked" })
		public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context,
				Iterator<ModelConverter> chain) {
			Schema resolved = super.resolve(type, context, chain);
			JavaType javaType = this._mapper.constructType(type.getType());
			if (!javaType.getRawClass().isRecord()) {
				return resolved;
			}
			Schema model = (resolved != null && resolved.get$ref() == null) ? resolved
					: context.getDefinedModels().get(_typeName(javaType));
			if (model == null || model.getProperties() == null) {
				return resolved;
			}
			Map<String, Schema> properties = model.getProperties();
			for (BeanPropertyDefinition property : this._mapper.getSerializationConfig()
				.introspect(javaType)
				.findProperties()) {
				Schema schema = properties.get(property.getName());
				AnnotatedMember member = property.getPrimaryMember();
				if (schema == null || member == null) {
					continue;
				}
				if (member.hasAnnotation(JsonRawValue.class)) {
					properties.put(property.getName(), new Schema<>()
						.description((schema.getDescription() != null) ? schema.getDescription() : "Any JSON value"));
				}
				else if (isNullableType(member)) {
					properties.put(property.getName(), orNull(schema, context));
				}
			}
			return resolved;
		}

		@SuppressWarnings({ "rawtypes", "unchecked" })
		private static Schema orNull(Schema schema, ModelConverterContext context) {
			String ref = schema.get$ref();
			if (ref != null) {
				// The wrapper says what the referenced schema says of itself.
				Schema target = context.getDefinedModels().get(ref.substring(ref.lastIndexOf('/') + 1));
				String description = (schema.getDescription() != null || target == null) ? schema.getDescription()
						: target.getDescription();
				return new Schema<>().anyOf(List.of(new Schema<>().$ref(ref), new Schema<>().types(Set.of("null"))))
					.description(description)
					.example(schema.getExample());
			}
			Set<String> types = new LinkedHashSet<>();
			if (schema.getTypes() != null) {
				types.addAll(schema.getTypes());
			}
			else if (schema.getType() != null) {
				types.add(schema.getType());
			}
			if (types.isEmpty()) {
				return schema; // any value, null included
			}
			types.add("null");
			schema.setTypes(types);
			return schema;
		}

		static boolean isNullableType(AnnotatedMember member) {
			java.lang.reflect.AnnotatedType type = switch (member) {
				case AnnotatedField field -> field.getAnnotated().getAnnotatedType();
				case AnnotatedMethod method ->
					(method.getParameterCount() == 0) ? method.getAnnotated().getAnnotatedReturnType()
							: method.getAnnotated().getAnnotatedParameterTypes()[0];
				case AnnotatedParameter parameter when parameter.getOwner()
					.getAnnotated() instanceof Executable executable ->
					executable.getAnnotatedParameterTypes()[parameter.getIndex()];
				default -> null;
			};
			if (type != null && type.isAnnotationPresent(Nullable.class)) {
				return true;
			}
			// A record component's type annotation is on its field too.
			if (member.getDeclaringClass().isRecord()) {
				for (RecordComponent component : member.getDeclaringClass().getRecordComponents()) {
					if (component.getName().equals(member.getName())
							&& component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
						return true;
					}
				}
			}
			return false;
		}

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
				{"success": false, "error": {"code", "message"}}.
				* Open endpoints verify their own signatures: manual events and the debug endpoint \
				(X-Resonance-Signature, or unsigned when the brand allows it), incoming webhook calls (Standard \
				Webhooks headers), Discord interactions (Ed25519), Shopify webhooks (X-Shopify-Hmac-Sha256).

				The user documentation ships with Resonance in docs/: event-api.md (signing, with samples), \
				management-api.md, webhooks.md (verifying deliveries), incoming-webhooks.md, integrations.md, \
				discord.md, network.md and operations.md."""))
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
			// Added here rather than with the components above: springdoc drops the
			// schemas no operation references before the customizers run, which left
			// every error answer's $ref dangling.
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			openApi.getComponents().addSchemas("Problem", problemSchema()).addSchemas("EventError", eventErrorSchema());
			replaceJacksonNodes(openApi.getComponents());
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
					operation.getParameters()
						.stream()
						.filter((parameter) -> parameter.getDescription() == null
								&& SHARED_PARAMETERS.containsKey(parameter.getName()))
						.forEach((parameter) -> {
							SharedParameter shared = SHARED_PARAMETERS.get(parameter.getName());
							parameter.setDescription(shared.description());
							if (parameter.getExample() == null && shared.example() != null) {
								parameter.setExample(shared.example());
							}
						});
					// springdoc reads an annotation's example "123456789012345678" as a
					// number; a string parameter's example is a string.
					operation.getParameters()
						.stream()
						.filter((parameter) -> (parameter.getExample() instanceof Number
								|| parameter.getExample() instanceof NumericNode) && parameter.getSchema() != null
								&& "string".equals(typeOf(parameter.getSchema())))
						.forEach((parameter) -> parameter
							.setExample((parameter.getExample() instanceof NumericNode number) ? number.asText()
									: String.valueOf(parameter.getExample())));
				}
				ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses()
						: new ApiResponses();
				operation.setResponses(responses);
				boolean events = path.equals("/v1/events") || path.startsWith("/resonance-api/");
				if (!events) {
					// What every operation of its kind can answer, unless it says more.
					if ("apiKey".equals(scheme) || "adminToken".equals(scheme)) {
						responses.putIfAbsent("401",
								new ApiResponse().description(
										"unauthorized: the credential is missing, malformed, expired or revoked "
												+ "(with WWW-Authenticate: Bearer)"));
					}
					if (operation.getRequestBody() != null
							|| (operation.getParameters() != null && !operation.getParameters().isEmpty())) {
						responses.putIfAbsent("400",
								new ApiResponse().description(
										"invalid_request: a parameter or the body is malformed; the detail names it "
												+ "(errors lists a body's invalid fields)"));
					}
					if (path.contains("{")) {
						responses.putIfAbsent("404",
								new ApiResponse().description(
										"not_found, or the resource's own code (webhook_not_found, …): nothing by "
												+ "that id for this brand"));
					}
				}
				responses.putIfAbsent("4XX", new ApiResponse().description(events
						? "Any other refusal: {\"success\": false, \"error\": {\"code\", \"message\"}} with the "
								+ "seed's codes (INVALID_SIGNATURE, BRAND_NOT_FOUND, COOLDOWN_ACTIVE, …)"
						: "Any other refusal: an RFC 9457 problem document with its code and the request id "
								+ "(docs/management-api.md lists the codes)"));
				// Every error answer has its shape: the seed's on the event API, a
				// problem document everywhere else; one with a status says its code,
				// and its example is that answer.
				responses.forEach((code, response) -> {
					if (code.startsWith("4") || code.startsWith("5")) {
						MediaType media = new MediaType()
							.schema(new Schema<>().$ref("#/components/schemas/" + (events ? "EventError" : "Problem")));
						String errorCode = errorCodeOf(response.getDescription(), events);
						if (errorCode != null && code.matches("\\d{3}")) {
							media.setExample(events ? eventErrorExample(errorCode)
									: problemExample(Integer.parseInt(code), errorCode));
						}
						response.setContent(new Content()
							.addMediaType(events ? "application/json" : "application/problem+json", media));
					}
				});
			}));
		};
	}

	/**
	 * A field typed with Jackson's JsonNode holds any JSON value; the generator would
	 * describe Jackson's class instead.
	 */
	@SuppressWarnings("rawtypes")
	private static void replaceJacksonNodes(Components components) {
		if (components.getSchemas() == null) {
			return;
		}
		components.getSchemas().remove("JsonNode");
		for (Schema<?> schema : components.getSchemas().values()) {
			if (schema.getProperties() == null) {
				continue;
			}
			Map<String, Schema> properties = schema.getProperties();
			properties.replaceAll((name, property) -> "#/components/schemas/JsonNode".equals(property.get$ref())
					? new Schema<Object>().description("Any JSON value") : property);
		}
	}

	private static @Nullable String typeOf(Schema<?> schema) {
		if (schema.getType() != null) {
			return schema.getType();
		}
		return (schema.getTypes() != null && schema.getTypes().size() == 1) ? schema.getTypes().iterator().next()
				: null;
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

	/**
	 * The error code an answer's description begins with ({@code invalid_request: …}):
	 * lower case on a problem document, upper case on the event API's error shape.
	 */
	static @Nullable String errorCodeOf(@Nullable String description, boolean events) {
		if (description == null) {
			return null;
		}
		Matcher code = (events ? EVENT_ERROR_CODE : PROBLEM_CODE).matcher(description);
		return code.lookingAt() ? code.group() : null;
	}

	private static ObjectNode problemExample(int status, String code) {
		ObjectNode example = Json.mapper().createObjectNode();
		example.put("type", Problems.TYPE_BASE + code);
		example.put("title", Problems.of(HttpStatusCode.valueOf(status), code, "").getTitle());
		example.put("status", status);
		example.put("code", code);
		example.put("request_id", "req_4Tq9Zb2Lw7Xc1Vn8Rk3M");
		return example;
	}

	private static ObjectNode eventErrorExample(String code) {
		ObjectNode example = Json.mapper().createObjectNode();
		example.put("success", false);
		example.putObject("error").put("code", code).put("message", "What went wrong, for people.");
		return example;
	}

	private static Schema<?> problemSchema() {
		ObjectNode example = Json.mapper().createObjectNode();
		example.put("type", Problems.TYPE_BASE + "webhook_not_found");
		example.put("title", "Webhook not found");
		example.put("status", 404);
		example.put("detail", "No webhook 5f0c6c1e-7d1a-4f7e-9a8e-2b6f1c9d4e21 for this brand.");
		example.put("instance", "/v1/webhooks/5f0c6c1e-7d1a-4f7e-9a8e-2b6f1c9d4e21");
		example.put("code", "webhook_not_found");
		example.put("request_id", "req_4Tq9Zb2Lw7Xc1Vn8Rk3M");
		return new Schema<Object>().type("object")
			.description("An RFC 9457 problem document. type is " + Problems.TYPE_BASE
					+ "{code}: switch on code (or type), never on title or detail.")
			.addProperty("type", new StringSchema().format("uri").description(Problems.TYPE_BASE + "{code}"))
			.addProperty("title", new StringSchema().description("A short, human-readable summary"))
			.addProperty("status", new IntegerSchema().description("The HTTP status"))
			.addProperty("detail", new StringSchema().description("What went wrong with this request"))
			.addProperty("instance", new StringSchema().description("The request's path"))
			.addProperty("code",
					new StringSchema().description(
							"Stable, for programs: invalid_request, unauthorized, not_found, webhook_not_found, "
									+ "rate_limited, … (docs/management-api.md lists them)"))
			.addProperty("request_id", new StringSchema().description("The request's X-Request-Id"))
			.addProperty("errors",
					new ArraySchema().description("On invalid_request from a request body: one entry per invalid field")
						.items(new ObjectSchema().addProperty("field", new StringSchema())
							.addProperty("message", new StringSchema())))
			.required(List.of("type", "title", "status", "code"))
			.example(example);
	}

	private static Schema<?> eventErrorSchema() {
		ObjectNode example = Json.mapper().createObjectNode();
		example.put("success", false);
		example.putObject("error")
			.put("code", "COOLDOWN_ACTIVE")
			.put("message", "User is currently in cooldown for this event type.")
			.put("retry_after", 3420);
		return new Schema<Object>().type("object")
			.description("The event API's error shape (seed 000)")
			.addProperty("success", new BooleanSchema().description("Always false on an error"))
			.addProperty("event_id", new StringSchema().description("The recorded event's id, when it was recorded"))
			.addProperty("error", new ObjectSchema().addProperty("code",
					new StringSchema().description("INVALID_REQUEST, INVALID_SIGNATURE, BRAND_NOT_FOUND, "
							+ "EVENT_DISABLED, COOLDOWN_ACTIVE, INSUFFICIENT_BALANCE, USER_DISABLED, RATE_LIMITED, …"))
				.addProperty("message", new StringSchema().description("For people; may change"))
				.addProperty("retry_after", new IntegerSchema().description("Seconds until the cooldown ends")))
			.required(List.of("success", "error"))
			.example(example);
	}

}
