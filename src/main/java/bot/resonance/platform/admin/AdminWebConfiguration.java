package bot.resonance.platform.admin;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class AdminWebConfiguration implements WebMvcConfigurer {

	private final AdminTokens tokens;

	AdminWebConfiguration(AdminTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new AdminAuthInterceptor(this.tokens)).addPathPatterns("/admin/**");
	}

}
