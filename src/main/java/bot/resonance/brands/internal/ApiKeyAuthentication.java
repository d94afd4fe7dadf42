package bot.resonance.brands.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.brands.Brands;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.BearerTokens;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The management API's authentication: {@code Authorization: Bearer <api_key>}. The brand
 * it belongs to is handed to controllers as an {@link AuthenticatedBrand} parameter.
 */
class ApiKeyAuthentication implements HandlerInterceptor, HandlerMethodArgumentResolver {

	private static final String ATTRIBUTE = AuthenticatedBrand.class.getName();

	private final Brands brands;

	ApiKeyAuthentication(Brands brands) {
		this.brands = brands;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		String key = BearerTokens.from(request);
		if (key == null) {
			throw ApiException.unauthorized("The management API needs 'Authorization: Bearer <api_key>'.");
		}
		var brand = this.brands.authenticateApiKey(key)
			.orElseThrow(() -> ApiException.unauthorized("The API key is not valid (or was rotated out)."));
		request.setAttribute(ATTRIBUTE, new AuthenticatedBrand(brand));
		return true;
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
