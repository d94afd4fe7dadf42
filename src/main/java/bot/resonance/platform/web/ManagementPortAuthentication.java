package bot.resonance.platform.web;

import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The actuator on a port of its own ({@code management.server.port}) runs in a context of
 * its own, which the application's filters do not reach: its requests are authenticated
 * by the same authenticators (of which only the metrics' governs an actuator path), so a
 * guarded scrape stays guarded on either port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementPortAuthentication {

	@Bean
	FilterRegistrationBean<ApiAuthenticationFilter> managementPortAuthenticationFilter(
			List<ApiAuthenticator> authenticators, JsonMapper json) {
		FilterRegistrationBean<ApiAuthenticationFilter> registration = new FilterRegistrationBean<>(
				new ApiAuthenticationFilter(authenticators, json));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
		return registration;
	}

}
