package bot.resonance.portal.internal;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Tells the sign-in page whether to offer "Sign in with Discord". */
@ControllerAdvice(assignableTypes = PortalPages.class)
class DiscordSignInButton {

	private final DiscordOAuth discord;

	DiscordSignInButton(DiscordOAuth discord) {
		this.discord = discord;
	}

	@ModelAttribute("discordSignIn")
	boolean discordSignIn() {
		return this.discord.configured();
	}

}
