package bot.resonance.brands.internal;

import java.util.List;

import bot.resonance.brands.Brands;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class BrandsWebConfiguration implements WebMvcConfigurer {

	private final ApiKeyAuthentication authentication;

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
