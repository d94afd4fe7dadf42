package bot.resonance.portal.internal;

import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import bot.resonance.portal.PortalProperties;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security for the portal, and for the portal only: its servlet filter runs for
 * {@code /portal/*} and the one filter chain matches {@code /portal/**}. Every other path
 * (the management, event, operator, webhook and Discord APIs, actuator, OpenAPI) matches
 * no chain and passes through untouched, with its own authentication
 * ({@code platform.web.ApiAuthenticationFilter}), no session, no CSRF and no redirect to
 * a sign-in page.
 *
 * <p>
 * In the portal: form sign-in with email and password (Argon2id hashes), a new session id
 * on sign-in, CSRF tokens on every POST, sign-out by POST, and headers that keep the
 * pages from being framed or running anything but the server's own scripts. Users with
 * two-factor sign-in on give a code after the password ({@link #SIGN_IN_CODE}); the
 * signed-in user is re-read on every request ({@link SignedInUserFilter}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class PortalSecurityConfiguration {

	static final String SIGN_IN = "/portal/sign-in";

	/** The second step of signing in with two-factor sign-in on. */
	static final String SIGN_IN_CODE = "/portal/sign-in/code";

	/** What opens a brand's pages: a brand user's role (not the operator's). */
	private static final String[] BRAND_ROLES = Arrays.stream(PortalRole.values())
		.map(Enum::name)
		.toArray(String[]::new);

	/** Everything the pages load comes from this server; htmx's own styles are off. */
	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	@Bean
	SecurityFilterChain portalFilterChain(HttpSecurity http, PortalAuthentication authentication,
			PortalUserRepository users, PortalSessions portalSessions) {
		http.securityMatcher("/portal/**")
			.authorizeHttpRequests((requests) -> operatorAndDiscordRequests(requests)
				.requestMatchers(SIGN_IN, "/portal/invitations/**", "/portal/assets/**")
				.permitAll()
				// Accounts: the two-factor step and password resets, before sign-in.
				.requestMatchers(SIGN_IN_CODE, "/portal/forgot-password", "/portal/password-reset/**")
				.permitAll()
				.anyRequest()
				.hasAnyRole(BRAND_ROLES))
			// Its own manager with no parent: a refused sign-in is not tried again by the
			// global manager (which would count each failure twice).
			.authenticationManager(new ProviderManager(authentication))
			.formLogin((form) -> form.loginPage(SIGN_IN)
				.loginProcessingUrl(SIGN_IN)
				.usernameParameter("email")
				.passwordParameter("password")
				.defaultSuccessUrl("/portal", true)
				.failureHandler(failureHandler(portalSessions)))
			.logout((logout) -> logout.logoutUrl("/portal/sign-out")
				// Back where the one signing out signs in: the operator at the console's
				// sign-in, brand users at theirs.
				.logoutSuccessHandler((request, response,
						signedOut) -> response.sendRedirect(request.getContextPath()
								+ ((signedOut != null && signedOut.getPrincipal() instanceof OperatorPrincipal)
										? OperatorPages.SIGN_IN : SIGN_IN)
								+ "?signed-out"))
				.invalidateHttpSession(true)
				.clearAuthentication(true))
			.exceptionHandling(PortalSecurityConfiguration::operatorSignInEntryPoint)
			.sessionManagement((sessions) -> sessions.sessionFixation((fixation) -> fixation.changeSessionId()))
			.csrf(Customizer.withDefaults())
			// Accounts: removed users and ended sessions are signed out, roles re-read.
			.addFilterAfter(new SignedInUserFilter(users), CsrfFilter.class)
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
		return http.build();
	}

	/**
	 * The operator console and "Sign in with Discord": the operator's and Discord's
	 * sign-in pages are open, the console needs the operator (who in turn opens no brand
	 * page: those need a brand user's role).
	 */
	private static AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry operatorAndDiscordRequests(
			AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
		return requests
			.requestMatchers(OperatorPages.SIGN_IN, DiscordSignInPages.START, DiscordSignInPages.START + "/**")
			.permitAll()
			.requestMatchers("/portal/operator", "/portal/operator/**")
			.hasRole(OperatorPrincipal.ROLE);
	}

	/**
	 * Signed out, the operator console sends to the operator's sign-in page, every other
	 * page to the sign-in page.
	 */
	private static void operatorSignInEntryPoint(ExceptionHandlingConfigurer<HttpSecurity> exceptions) {
		RequestMatcher console = PathPatternRequestMatcher.withDefaults().matcher("/portal/operator/**");
		AuthenticationEntryPoint operator = new LoginUrlAuthenticationEntryPoint(OperatorPages.SIGN_IN);
		AuthenticationEntryPoint brandUser = new LoginUrlAuthenticationEntryPoint(SIGN_IN);
		exceptions.authenticationEntryPoint((request, response,
				exception) -> (console.matches(request) ? operator : brandUser).commence(request, response, exception));
	}

	/**
	 * Registers Spring Security's servlet filter for {@code /portal/*} only (Spring Boot
	 * registers it for every path). Matching no chain is not enough to leave the API as
	 * it was: the filter's firewall would still refuse, with an empty {@code 400},
	 * requests the API serves or answers with its own problem documents (path parameters,
	 * encoded slashes, unusual methods). The servlet container matches the pattern
	 * against the decoded, normalised path, so {@code /v1/../portal} and
	 * {@code /%70ortal} are covered too.
	 */
	@Bean
	static BeanPostProcessor portalOnlySecurityFilter() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof DelegatingFilterProxyRegistrationBean registration
						&& "securityFilterChainRegistration".equals(beanName)) {
					registration.setUrlPatterns(List.of("/portal/*"));
				}
				return bean;
			}

		};
	}

	/**
	 * Argon2id, with Spring Security's current parameters (16 MiB, 2 passes), a bounded
	 * number of hashes at a time ({@code resonance.portal.concurrent-password-hashes}).
	 */
	@Bean
	PasswordEncoder portalPasswordEncoder(PortalProperties properties, MeterRegistry meters) {
		int concurrent = (properties.concurrentPasswordHashes() > 0) ? properties.concurrentPasswordHashes()
				: PasswordHashing.defaultConcurrency(Runtime.getRuntime().availableProcessors());
		return new PasswordHashing(Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(), concurrent,
				properties.passwordHashWait(), meters);
	}

	/**
	 * Back to the sign-in page, saying why: a wrong password, or too many of them; or on
	 * to the two-factor code when the password was right and the user has it on.
	 */
	private static AuthenticationFailureHandler failureHandler(PortalSessions sessions) {
		return (request, response, exception) -> {
			if (exception instanceof PortalAuthentication.SecondFactorRequiredException secondFactor) {
				sessions.awaitSecondFactor(secondFactor.user(), request, response);
				response.sendRedirect(request.getContextPath() + SIGN_IN_CODE);
				return;
			}
			String why = switch (exception) {
				case PortalAuthentication.SignInThrottledException _ -> "?throttled";
				case PortalAuthentication.SignInBusyException _ -> "?busy";
				default -> "?error";
			};
			response.sendRedirect(request.getContextPath() + SIGN_IN + why);
		};
	}

}
