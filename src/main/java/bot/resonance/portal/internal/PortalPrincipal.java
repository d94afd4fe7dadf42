package bot.resonance.portal.internal;

import java.io.Serial;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.server.ResponseStatusException;

/**
 * A signed-in portal user, kept in the session. The brand every page shows is this
 * {@link #brandId()}: pages never take a brand from the request.
 *
 * <p>
 * What the session keeps is re-read from the database on every request
 * ({@link SignedInUserFilter}): the role, whether the user still exists, and the
 * {@link #sessionVersion()} they signed in with, which a new password raises to end their
 * other sessions.
 */
final class PortalPrincipal implements UserDetails, CredentialsContainer {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String userId;

	private final String brandId;

	private final String email;

	private final PortalRole role;

	private final long sessionVersion;

	private final boolean twoFactor;

	private @Nullable String passwordHash;

	PortalPrincipal(String userId, String brandId, String email, PortalRole role, @Nullable String passwordHash) {
		this(userId, brandId, email, role, passwordHash, 0, false);
	}

	PortalPrincipal(String userId, String brandId, String email, PortalRole role, @Nullable String passwordHash,
			long sessionVersion, boolean twoFactor) {
		this.userId = userId;
		this.brandId = brandId;
		this.email = email;
		this.role = role;
		this.passwordHash = passwordHash;
		this.sessionVersion = sessionVersion;
		this.twoFactor = twoFactor;
	}

	String userId() {
		return this.userId;
	}

	/** Whether they signed in with Discord (no password, no two-factor sign-in here). */
	boolean viaDiscord() {
		return this.userId.startsWith(DiscordSignInPages.USER_ID_PREFIX);
	}

	String brandId() {
		return this.brandId;
	}

	String email() {
		return this.email;
	}

	PortalRole role() {
		return this.role;
	}

	/**
	 * The user's session version when this was read; sessions of older ones are ended.
	 */
	long sessionVersion() {
		return this.sessionVersion;
	}

	/** Whether signing in needs a TOTP code after the password. */
	boolean twoFactor() {
		return this.twoFactor;
	}

	/** Whether {@code other} is the same user as this one shows them (role, email, …). */
	boolean sameAs(PortalPrincipal other) {
		return this.userId.equals(other.userId) && this.brandId.equals(other.brandId) && this.email.equals(other.email)
				&& this.role == other.role && this.sessionVersion == other.sessionVersion
				&& this.twoFactor == other.twoFactor;
	}

	/**
	 * Refuses, with a {@code 403} page that says why, a user whose role is less than
	 * {@code least}. Every handler that changes something calls this first.
	 * @param least the least role allowed
	 * @param action what the user tried, as the page says it ("rotate keys")
	 */
	void require(PortalRole least, String action) {
		if (!this.role.permits(least)) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN,
					"Only " + least.value() + "s" + ((least != PortalRole.ADMIN) ? " and admins" : "") + " may "
							+ action + "; your role is " + this.role.value() + ".");
		}
	}

	/** This user without the password hash, as a session keeps them. */
	PortalPrincipal withoutPassword() {
		return new PortalPrincipal(this.userId, this.brandId, this.email, this.role, null, this.sessionVersion,
				this.twoFactor);
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		return List.of(new SimpleGrantedAuthority("ROLE_" + this.role.name()));
	}

	@Override
	public @Nullable String getPassword() {
		return this.passwordHash;
	}

	@Override
	public String getUsername() {
		return this.email;
	}

	@Override
	public void eraseCredentials() {
		this.passwordHash = null;
	}

}
