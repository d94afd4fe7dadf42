package bot.resonance.portal.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.util.UrlPathHelper;

/**
 * What every portal page's layout reads: the signed-in user (or none, on the sign-in and
 * invitation pages), the section of the navigation the page belongs to, and the CSRF
 * header for htmx.
 */
@ControllerAdvice(basePackageClasses = PortalPageModel.class)
class PortalPageModel {

	@ModelAttribute("user")
	@Nullable PageUser user(@AuthenticationPrincipal @Nullable PortalPrincipal principal) {
		return (principal != null) ? PageUser.of(principal) : null;
	}

	/**
	 * The CSRF header htmx sends with every request it makes ({@code hx-headers} on the
	 * body), so that buttons outside a form can POST too; {@code null} where there is no
	 * token.
	 */
	@ModelAttribute("htmxHeaders")
	@Nullable String htmxHeaders(HttpServletRequest request) {
		if (!(request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token)) {
			return null;
		}
		return "{\"" + token.getHeaderName() + "\": \"" + token.getToken() + "\"}";
	}

	/**
	 * The first path segment after {@code /portal} ({@code webhooks} for
	 * {@code /portal/webhooks/…}), empty on the overview; the navigation marks it
	 * current.
	 */
	@ModelAttribute("section")
	String section(HttpServletRequest request) {
		String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
		String rest = path.startsWith("/portal/") ? path.substring("/portal/".length()) : "";
		int slash = rest.indexOf('/');
		return (slash < 0) ? rest : rest.substring(0, slash);
	}

}
