package bot.resonance.platform.web;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Paths are matched as Spring MVC maps them, once parsed per request. */
class PathMatcherUnitTests {

	private final PathMatcher admin = PathMatcher.of("/admin/**").excluding("/admin/v1/public/**");

	@Test
	void matchesIncludesButNotExcludes() {
		assertThat(this.admin.matches(request("/admin/v1/brands"))).isTrue();
		assertThat(this.admin.matches(request("/admin/v1/public/status"))).isFalse();
		assertThat(this.admin.matches(request("/v1/events"))).isFalse();
	}

	@Test
	void matchesPathsSpelledOtherwiseAsSpringMvcDoes() {
		// A ;parameter or an encoded letter still names the same endpoint, for Spring
		// MVC and so here.
		assertThat(this.admin.matches(request("/admin;x=1/v1/brands"))).isTrue();
		assertThat(this.admin.matches(request("/%61dmin/v1/brands"))).isTrue();
		assertThat(this.admin.matches(request("/admin/v1/public;x=1/status"))).isFalse();
	}

	@Test
	void parsesAgainWhenTheRequestsUriChanges() {
		MockHttpServletRequest request = request("/admin/v1/brands");
		assertThat(this.admin.matches(request)).isTrue();
		assertThat(PathMatcher.of("/v1/**").matches(request)).isFalse();
		// forwarded elsewhere: the new URI is what is matched
		request.setRequestURI("/v1/events");
		assertThat(this.admin.matches(request)).isFalse();
		assertThat(PathMatcher.of("/v1/**").matches(request)).isTrue();
	}

	private static MockHttpServletRequest request(String uri) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		request.setRequestURI(uri);
		return request;
	}

}
