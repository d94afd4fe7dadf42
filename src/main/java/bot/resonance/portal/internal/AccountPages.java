package bot.resonance.portal.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brands;
import bot.resonance.portal.PortalProperties;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings &gt; Your account ({@code /portal/settings/account}), for every role: change
 * one's password (the current one required; other sessions end) and turn two-factor
 * sign-in on (a new secret shown as text and QR code, confirmed with one code) or off
 * (with a current code).
 */
@Controller
class AccountPages {

	static final String PATH = "/portal/settings/account";

	/** The secret being turned on, kept in the session until confirmed. */
	private static final String PENDING_SECRET = AccountPages.class.getName() + ".secret";

	private final PortalUsers users;

	private final TwoFactor twoFactor;

	private final PortalSessions sessions;

	private final PortalUserRepository repository;

	private final Brands brands;

	private final PortalProperties properties;

	AccountPages(PortalUsers users, TwoFactor twoFactor, PortalSessions sessions, PortalUserRepository repository,
			Brands brands, PortalProperties properties) {
		this.users = users;
		this.twoFactor = twoFactor;
		this.sessions = sessions;
		this.repository = repository;
		this.brands = brands;
		this.properties = properties;
	}

	@GetMapping(PATH)
	String account(@AuthenticationPrincipal PortalPrincipal user, Model model) {
		return page(user, model);
	}

	@PostMapping(PATH + "/password")
	String changePassword(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "current", required = false) @Nullable String current,
			@RequestParam(name = "password", required = false) @Nullable String password,
			@RequestParam(name = "confirmation", required = false) @Nullable String confirmation, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		refuseDiscordUsers(user);
		return switch (this.users.changePassword(user, current, password, confirmation, request.getRemoteAddr())) {
			case PortalUsers.Acceptance.Accepted accepted -> {
				this.sessions.signIn(accepted.user(), request, response);
				redirect.addFlashAttribute("notice", "Password changed. Your other sessions are signed out.");
				yield "redirect:" + PATH;
			}
			case PortalUsers.Acceptance.Invalid invalid -> "redirect:" + PortalSecurityConfiguration.SIGN_IN;
			case PortalUsers.Acceptance.Refused refused -> {
				response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
				model.addAttribute("passwordError", refused.reason());
				yield page(user, model);
			}
		};
	}

	@PostMapping(PATH + "/two-factor/setup")
	String setUpTwoFactor(@AuthenticationPrincipal PortalPrincipal user, Model model, HttpServletRequest request,
			HttpServletResponse response, RedirectAttributes redirect) {
		refuseDiscordUsers(user);
		if (this.repository.totpSecret(user.userId()).isPresent()) {
			redirect.addFlashAttribute("failure", "Two-factor sign-in is on already. Turn it off first, with a code.");
			return "redirect:" + PATH;
		}
		String secret = Totp.newSecret();
		request.getSession().setAttribute(PENDING_SECRET, secret);
		return setupPage(user, secret, null, model, response);
	}

	@PostMapping(PATH + "/two-factor/enable")
	String enableTwoFactor(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "code", required = false) @Nullable String code, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		refuseDiscordUsers(user);
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(PENDING_SECRET) instanceof String secret)) {
			redirect.addFlashAttribute("failure", "Start again: set up two-factor sign-in.");
			return "redirect:" + PATH;
		}
		return switch (this.twoFactor.enable(user.userId(), secret, code, request.getRemoteAddr())) {
			case ACCEPTED -> {
				session.removeAttribute(PENDING_SECRET);
				redirect.addFlashAttribute("notice",
						"Two-factor sign-in is on: signing in now asks for a code from your app.");
				yield "redirect:" + PATH;
			}
			case WRONG -> {
				response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
				yield setupPage(user, secret, "That code is not right. Enter the code your app shows now.", model,
						response);
			}
			case THROTTLED -> {
				response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
				yield setupPage(user, secret, throttled(), model, response);
			}
		};
	}

	@PostMapping(PATH + "/two-factor/disable")
	String disableTwoFactor(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "code", required = false) @Nullable String code, Model model,
			HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
		refuseDiscordUsers(user);
		return switch (this.twoFactor.disable(user.userId(), code, request.getRemoteAddr())) {
			case ACCEPTED -> {
				redirect.addFlashAttribute("notice", "Two-factor sign-in is off.");
				yield "redirect:" + PATH;
			}
			case WRONG -> {
				response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
				model.addAttribute("codeError", "That code is not right, or was used already. Enter the next one.");
				yield page(user, model);
			}
			case THROTTLED -> {
				response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
				model.addAttribute("codeError", throttled());
				yield page(user, model);
			}
		};
	}

	private String throttled() {
		return "Too many wrong codes lately: wait " + this.properties.signInFailureWindow().toMinutes()
				+ " minutes, then try again.";
	}

	private String setupPage(PortalPrincipal user, String secret, @Nullable String error, Model model,
			HttpServletResponse response) {
		UserPages.noStore(response);
		String issuer = "Resonance ("
				+ this.brands.find(user.brandId()).map((brand) -> brand.name()).orElse(user.brandId()) + ")";
		String uri = Totp.uri(issuer, user.email(), secret);
		model.addAttribute("setup", new TotpSetup(secret, uri, QrCodes.svgDataUri(uri)));
		model.addAttribute("codeError", error);
		return page(user, model);
	}

	/** Who signed in with Discord has no password or second factor here to change. */
	private static void refuseDiscordUsers(PortalPrincipal user) {
		if (user.viaDiscord()) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "You signed in with Discord: your account is "
					+ "your Discord account, with no Resonance password or two-factor sign-in to change.");
		}
	}

	private String page(PortalPrincipal user, Model model) {
		model.addAttribute("viaDiscord", user.viaDiscord());
		model.addAttribute("twoFactorOn", !user.viaDiscord() && this.repository.totpSecret(user.userId()).isPresent());
		model.addAttribute("minPasswordLength", this.properties.minPasswordLength());
		model.addAttribute("maxPasswordLength", PortalUsers.MAX_PASSWORD_LENGTH);
		return "portal/account";
	}

}
