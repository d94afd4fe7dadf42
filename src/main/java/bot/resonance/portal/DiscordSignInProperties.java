package bot.resonance.portal;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * "Sign in with Discord" for the Partner Portal: Discord's OAuth2 authorization code
 * flow. It is on when a client id and a client secret are known.
 *
 * @param clientId the Discord application's OAuth2 client id; unset, the application id
 * ({@code DISCORD_APPLICATION_ID}, {@code resonance.discord.interactions.application-id})
 * @param clientSecret the application's OAuth2 client secret
 * ({@code DISCORD_CLIENT_SECRET}); unset, the portal offers no Discord sign-in
 * @param authorizeUrl where people are sent to allow the sign-in
 * @param tokenUrl where the code is exchanged for an access token
 * @param apiBaseUrl Discord's REST API for {@code /users/@me} and
 * {@code /users/@me/guilds}; unset, {@code resonance.discord.api-base-url}
 * @param redirectUri where Discord sends people back, exactly as registered with the
 * application; unset, {@code resonance.portal.public-base-url} (else the address the
 * sign-in started at) + {@code /portal/sign-in/discord/callback}
 */
@ConfigurationProperties("resonance.portal.discord")
public record DiscordSignInProperties(@Nullable String clientId, @Nullable String clientSecret,
		@DefaultValue("https://discord.com/oauth2/authorize") URI authorizeUrl,
		@DefaultValue("https://discord.com/api/oauth2/token") URI tokenUrl, @Nullable URI apiBaseUrl,
		@Nullable URI redirectUri) {

}
