package bot.resonance.brands.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.brands.Brands;
import bot.resonance.platform.web.ApiAuthenticator;
import bot.resonance.platform.web.ApiCaller;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.BearerTokens;
import bot.resonance.platform.web.PathMatcher;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * The management API's authentication: {@code Authorization: Bearer <api_key>}, checked
 * before anything else serves the request. The brand it belongs to is handed to
 * controllers as an {@link AuthenticatedBrand} parameter.
 */
class ApiKeyAuthentication implements ApiAuthenticator, HandlerMethodArgumentResolver {

	private static final String ATTRIBUTE = AuthenticatedBrand.class.getName();

	// POST /v1/events is signed with the brand's secret key instead, and Shopify's
	// webhooks (/v1/integrations/shopify/{brand_id}) with the shop's webhook secret.
	private static final PathMatcher PATHS = PathMatcher.of("/v1/**")
		.excluding("/v1/events", "/v1/integrations/shopify/*");

	private final Brands brands;

	ApiKeyAuthentication(Brands brands) {
		this.brands = brands;
	}

	@Override
	public boolean governs(HttpServletRequest request) {
		return PATHS.matches(request);
	}

	@Override
	public Result authenticate(HttpServletRequest request) {
		String key = BearerTokens.from(request);
		if (key == null) {
			return new Result.Refused("The management API needs 'Authorization: Bearer <api_key>'.");
		}
		var brand = this.brands.authenticateApiKey(key);
		if (brand.isEmpty()) {
			return new Result.Refused("The API key is not valid (or was rotated out).");
		}
		request.setAttribute(ATTRIBUTE, new AuthenticatedBrand(brand.get()));
		return new Result.Authenticated(new ApiCaller("brand:" + brand.get().brandId(), key));
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == AuthenticatedBrand.class;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer container,
			NativeWebRequest request, @Nullable WebDataBinderFactory binderFactory) {
		Object caller = request.getAttribute(ATTRIBUTE, NativeWebRequest.SCOPE_REQUEST);
		if (caller == null) {
			throw ApiException.unauthorized("The management API needs 'Authorization: Bearer <api_key>'.");
		}
		return caller;
	}

}
