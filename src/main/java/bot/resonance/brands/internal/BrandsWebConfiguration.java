package bot.resonance.brands.internal;

import java.util.List;

import bot.resonance.brands.Brands;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class BrandsWebConfiguration implements WebMvcConfigurer {

	private final ApiKeyAuthentication authentication;

	BrandsWebConfiguration(Brands brands) {
		this.authentication = new ApiKeyAuthentication(brands);
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		// POST /v1/events is signed with the brand's secret key instead, and Shopify's
		// webhooks (/v1/integrations/shopify/{brand_id}) with the shop's webhook secret.
		registry.addInterceptor(this.authentication)
			.addPathPatterns("/v1/**")
			.excludePathPatterns("/v1/events", "/v1/integrations/shopify/*");
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this.authentication);
	}

}
