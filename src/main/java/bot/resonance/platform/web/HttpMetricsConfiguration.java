package bot.resonance.platform.web;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Requests are timed by {@link HttpRequestMetricsFilter} instead of Spring's HTTP server
 * observation. Spring Boot adds that observation's filter unless the application has one:
 * it has, never registered with the container, so that Boot's filter stays out while the
 * rest of its set-up for these metrics stays in (the cap on distinct {@code uri} values,
 * {@code management.metrics.web.server.max-uri-tags}).
 */
@Configuration(proxyBeanMethods = false)
class HttpMetricsConfiguration {

	@Bean
	FilterRegistrationBean<ServerHttpObservationFilter> httpObservationFilterReplaced() {
		FilterRegistrationBean<ServerHttpObservationFilter> registration = new FilterRegistrationBean<>(
				new ServerHttpObservationFilter(ObservationRegistry.NOOP));
		registration.setEnabled(false);
		return registration;
	}

}
