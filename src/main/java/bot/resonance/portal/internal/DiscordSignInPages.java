package bot.resonance.portal.internal;

import java.io.Serializable;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.discord.GuildBindings;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.crypto.RandomTokens;
import bot.resonance.portal.DiscordSignInProperties;
import bot.resonance.portal.PortalProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * "Sign in with Discord": {@code /portal/sign-in/discord} sends the person to Discord
 * with a random {@code state} (and a PKCE verifier) kept in their session; Discord sends
 * them back to {@code /portal/sign-in/discord/callback}, which checks the state,
 * exchanges the code and asks Discord which servers they are in. Whoever may manage a
 * server (its owner, an administrator, or MANAGE_GUILD) that is bound to a brand is
 * signed in as an admin of that brand; with several such brands they choose one, with
 * none they are told so. Without a client secret none of this exists (404) and the
 * sign-in page shows no button.
 */
@Controller
class DiscordSignInPages {

	static final String START = "/portal/sign-in/discord";

	/**
	 * Who signed in with Discord is the portal user {@code discord:<their Discord id>}.
	 */
	static final String USER_ID_PREFIX = "discord:";

	static final String CALLBACK = START + "/callback";

	static final String CHOOSE = START + "/choose";

	/** How long the person may take at Discord before the state is no longer accepted. */
	static final Duration ATTEMPT_VALIDITY = Duration.ofMinutes(10);

	private static final String ATTEMPT = DiscordSignInPages.class.getName() + ".attempt";

	private static final String CHOICE = DiscordSignInPages.class.getName() + ".choice";

	private final DiscordOAuth discord;

	private final GuildBindings guilds;

	private final Brands brands;

	private final PortalProperties properties;

	private final Clock clock;

	private final @Nullable URI redirectUri;

	DiscordSignInPages(DiscordOAuth discord, GuildBindings guilds, Brands brands, PortalProperties properties,
			DiscordSignInProperties settings, Clock clock) {
		this.discord = discord;
		this.guilds = guilds;
		this.brands = brands;
		this.properties = properties;
		this.redirectUri = settings.redirectUri();
		this.clock = clock;
	}

	@GetMapping(START)
	String start(HttpServletRequest request) {
		requireConfigured();
		String state = RandomTokens.base62(43);
		String verifier = RandomTokens.base62(64);
		String redirect = redirectUri();
		HttpSession session = request.getSession();
		session.removeAttribute(CHOICE);
		session.setAttribute(ATTEMPT,
				new Attempt(state, verifier, redirect, this.clock.instant().plus(ATTEMPT_VALIDITY)));
		return "redirect:" + this.discord.authorization(state, verifier, redirect);
	}

	@GetMapping(CALLBACK)
	String callback(@RequestParam(name = "code", required = false) @Nullable String code,
			@RequestParam(name = "state", required = false) @Nullable String state,
			@RequestParam(name = "error", required = false) @Nullable String error, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		requireConfigured();
		HttpSession session = request.getSession(false);
		Attempt attempt = (session != null && session.getAttribute(ATTEMPT) instanceof Attempt started) ? started
				: null;
		if (session != null) {
			// A state is good for one return from Discord, whatever it brings.
			session.removeAttribute(ATTEMPT);
		}
		if (error != null) {
			if (error.equals("access_denied")) {
				return "redirect:" + PortalSecurityConfiguration.SIGN_IN + "?discord-denied";
			}
			return refused(model, response, HttpStatus.BAD_GATEWAY, "Discord did not sign you in",
					"Discord answered with the error “" + error.substring(0, Math.min(error.length(), 100))
							+ "”. Try again, or sign in with your email and password.");
		}
		if (attempt == null || state == null || !Hashing.constantTimeEquals(state, attempt.state())
				|| this.clock.instant().isAfter(attempt.expiresAt())) {
			return refused(model, response, HttpStatus.FORBIDDEN, "This sign-in could not be verified",
					"The answer from Discord does not belong to a sign-in started here, or it took longer than "
							+ ATTEMPT_VALIDITY.toMinutes() + " minutes. Start again from the sign-in page.");
		}
		if (code == null || code.isBlank() || code.length() > 512) {
			return refused(model, response, HttpStatus.BAD_REQUEST, "Discord did not sign you in",
					"Discord sent you back without an authorization code. Start again from the sign-in page.");
		}
		DiscordOAuth.Outcome<String> token = this.discord.exchange(code, attempt.codeVerifier(), attempt.redirectUri());
		if (token instanceof DiscordOAuth.Outcome.Failed<String> failed) {
			return refused(model, response, HttpStatus.BAD_GATEWAY, "Discord did not sign you in",
					failed.reason() + " Try again in a moment, or sign in with your email and password.");
		}
		DiscordOAuth.Outcome<DiscordOAuth.Identity> identity = this.discord
			.identity(((DiscordOAuth.Outcome.Obtained<String>) token).value());
		if (identity instanceof DiscordOAuth.Outcome.Failed<DiscordOAuth.Identity> failed) {
			return refused(model, response, HttpStatus.BAD_GATEWAY, "Discord did not sign you in",
					failed.reason() + " Try again in a moment, or sign in with your email and password.");
		}
		DiscordOAuth.Identity user = ((DiscordOAuth.Outcome.Obtained<DiscordOAuth.Identity>) identity).value();
		List<Brand> managed = managedBrands(user);
		if (managed.isEmpty()) {
			return refused(model, response, HttpStatus.FORBIDDEN, "No server of yours is connected",
					"None of the Discord servers you manage (as owner, administrator or with Manage Server) is "
							+ "connected to a brand here, so Discord cannot sign you in. Ask your operator to "
							+ "connect the server, or sign in with your email and password.");
		}
		if (managed.size() == 1) {
			SessionSignIn.signIn(principal(user.userId(), user.username(), managed.getFirst().brandId()), request,
					response);
			return "redirect:/portal";
		}
		request.getSession()
			.setAttribute(CHOICE, new Choice(user.userId(), user.username(),
					managed.stream().map(Brand::brandId).toList(), this.clock.instant().plus(ATTEMPT_VALIDITY)));
		model.addAttribute("username", user.username());
		model.addAttribute("brands", managed);
		return "portal/discord-choose";
	}

	@PostMapping(CHOOSE)
	String choose(@RequestParam(name = "brand_id", required = false) @Nullable String brandId, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		requireConfigured();
		HttpSession session = request.getSession(false);
		Choice choice = (session != null && session.getAttribute(CHOICE) instanceof Choice pending) ? pending : null;
		if (choice == null || this.clock.instant().isAfter(choice.expiresAt())) {
			return refused(model, response, HttpStatus.FORBIDDEN, "This sign-in could not be verified",
					"There is no Discord sign-in waiting for a choice (or it took longer than "
							+ ATTEMPT_VALIDITY.toMinutes() + " minutes). Start again from the sign-in page.");
		}
		if (brandId == null || !choice.brandIds().contains(brandId)) {
			return refused(model, response, HttpStatus.FORBIDDEN, "Not one of your brands",
					"Choose one of the brands whose Discord server you manage.");
		}
		session.removeAttribute(CHOICE);
		SessionSignIn.signIn(principal(choice.userId(), choice.username(), brandId), request, response);
		return "redirect:/portal";
	}

	/**
	 * The brands of the servers the user manages, each once, in the order Discord lists
	 * them.
	 */
	private List<Brand> managedBrands(DiscordOAuth.Identity user) {
		Set<String> brandIds = new LinkedHashSet<>();
		for (DiscordOAuth.Guild guild : user.guilds()) {
			if (guild.managed()) {
				this.guilds.brandOf(guild.id()).ifPresent(brandIds::add);
			}
		}
		List<Brand> found = new ArrayList<>();
		for (String brandId : brandIds) {
			this.brands.find(brandId).ifPresent(found::add);
		}
		return found;
	}

	private static PortalPrincipal principal(String discordUserId, String username, String brandId) {
		return new PortalPrincipal(USER_ID_PREFIX + discordUserId, brandId, "Discord user " + username,
				PortalRole.ADMIN, null);
	}

	private String refused(Model model, HttpServletResponse response, HttpStatus status, String title,
			String explanation) {
		response.setStatus(status.value());
		model.addAttribute("heading", title);
		model.addAttribute("explanation", explanation);
		return "portal/discord-refused";
	}

	private void requireConfigured() {
		if (!this.discord.configured()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

	/**
	 * The configured redirect URI, else the portal's public address (or this request's) +
	 * the callback.
	 */
	private String redirectUri() {
		if (this.redirectUri != null) {
			return this.redirectUri.toString();
		}
		String base = (this.properties.publicBaseUrl() != null) ? this.properties.publicBaseUrl().toString()
				: ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CALLBACK;
	}

	/**
	 * A sign-in sent to Discord, kept in the session until Discord sends the person back.
	 */
	record Attempt(String state, String codeVerifier, String redirectUri, Instant expiresAt) implements Serializable {
	}

	/** A Discord user who manages the servers of several brands, choosing one. */
	record Choice(String userId, String username, List<String> brandIds, Instant expiresAt) implements Serializable {
	}

}
