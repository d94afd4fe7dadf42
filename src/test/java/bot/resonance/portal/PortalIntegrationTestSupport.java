package bot.resonance.portal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the portal's integration tests: invites users through the operator API and
 * signs them in with a {@link PortalBrowser} (real HTTP, cookie jar).
 */
abstract class PortalIntegrationTestSupport extends IntegrationTestSupport {

	protected static final AtomicLong EMAILS = new AtomicLong();

	protected static final String PASSWORD = "correct horse battery";

	protected ApiResponse invite(TestBrand brand, String email, String role) {
		return this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/portal-invitations",
				json(Map.of("email", email, "role", role)));
	}

	protected String invitationPath(TestBrand brand, String email, String role) {
		ApiResponse invited = invite(brand, email, role);
		assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
		return invited.text("url").substring(this.client.base().length());
	}

	/** A new user of the brand with the role, signed in. */
	protected PortalBrowser signedInUser(TestBrand brand, String role) {
		return signedInUser(brand, newEmail(), role);
	}

	protected PortalBrowser signedInUser(TestBrand brand, String email, String role) {
		String path = invitationPath(brand, email, role);
		PortalBrowser browser = new PortalBrowser(this.client.base());
		PortalBrowser.Page accepted = browser.submit(path, path,
				Map.of("password", PASSWORD, "confirmation", PASSWORD));
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(302);
		return browser;
	}

	protected static String newEmail() {
		return "user" + EMAILS.incrementAndGet() + "." + System.nanoTime() + "@example.com";
	}

}
