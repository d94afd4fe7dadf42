package bot.resonance.portal.internal;

import org.junit.jupiter.api.Test;

import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortalRoleUnitTests {

	@Test
	void eachRolePermitsItselfAndLessOnly() {
		assertThat(PortalRole.ADMIN.permits(PortalRole.ADMIN)).isTrue();
		assertThat(PortalRole.ADMIN.permits(PortalRole.VIEWER)).isTrue();
		assertThat(PortalRole.DEVELOPER.permits(PortalRole.ADMIN)).isFalse();
		assertThat(PortalRole.DEVELOPER.permits(PortalRole.DEVELOPER)).isTrue();
		assertThat(PortalRole.VIEWER.permits(PortalRole.DEVELOPER)).isFalse();
		assertThat(PortalRole.VIEWER.permits(PortalRole.VIEWER)).isTrue();
	}

	@Test
	void requireRefusesWithA403ThatSaysWhy() {
		PortalPrincipal viewer = new PortalPrincipal("pusr_1", "0xbrand", "v@example.com", PortalRole.VIEWER, null);
		assertThatThrownBy(() -> viewer.require(PortalRole.DEVELOPER, "change webhooks"))
			.isInstanceOfSatisfying(ResponseStatusException.class, (ex) -> {
				assertThat(ex.getStatusCode().value()).isEqualTo(403);
				assertThat(ex.getReason())
					.isEqualTo("Only developers and admins may change webhooks; your role is viewer.");
			});
		PortalPrincipal developer = new PortalPrincipal("pusr_2", "0xbrand", "d@example.com", PortalRole.DEVELOPER,
				null);
		assertThatNoException().isThrownBy(() -> developer.require(PortalRole.DEVELOPER, "change webhooks"));
		assertThatThrownBy(() -> developer.require(PortalRole.ADMIN, "rotate keys"))
			.hasMessageContaining("Only admins may rotate keys; your role is developer.");
	}

}
