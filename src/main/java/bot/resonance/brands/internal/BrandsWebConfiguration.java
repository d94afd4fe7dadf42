package bot.resonance.brands.internal;

import java.util.List;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.brands.Brands;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class BrandsWebConfiguration implements WebMvcConfigurer {

	private final ApiKeyAuthentication authentication;

	static {
		// The authenticated brand is resolved from the Authorization header, not sent
		// as a parameter: the OpenAPI document must not show it as one.
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedBrand.class);
	}

	BrandsWebConfiguration(Brands brands) {
		this.authentication = new ApiKeyAuthentication(brands);
	}

	/** Runs in the platform's authentication filter, before anything else. */
	@Bean
	ApiKeyAuthentication apiKeyAuthentication() {
		return this.authentication;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this.authentication);
	}

}
