package bot.resonance.portal.internal;

import java.io.Serial;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The operator, signed in to the operator console with the admin token. Not a brand's
 * user: its one authority, {@code ROLE_OPERATOR}, opens {@code /portal/operator/**} and
 * nothing else, and brand users' roles do not open the console.
 */
final class OperatorPrincipal implements UserDetails {

	@Serial
	private static final long serialVersionUID = 1L;

	static final String ROLE = "OPERATOR";

	static final OperatorPrincipal INSTANCE = new OperatorPrincipal();

	private OperatorPrincipal() {
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		return List.of(new SimpleGrantedAuthority("ROLE_" + ROLE));
	}

	@Override
	public @Nullable String getPassword() {
		return null;
	}

	@Override
	public String getUsername() {
		return "operator";
	}

	@Serial
	private Object readResolve() {
		return INSTANCE;
	}

}
