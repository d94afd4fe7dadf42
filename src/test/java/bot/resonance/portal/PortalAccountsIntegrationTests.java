package bot.resonance.portal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Portal accounts over real HTTP: Settings &gt; Users (invitations, roles, removal, reset
 * links), password resets, the Account page (password, two-factor sign-in) and the
 * sign-in's two-factor step; sessions that end when an admin removes the user or the
 * password changes; brand isolation, CSRF and escaping.
 */
@IntegrationTest
class PortalAccountsIntegrationTests extends PortalIntegrationTestSupport {

	@Autowired
	JdbcClient jdbc;

	private static final String USERS = "/portal/settings/users";

	private static final String ACCOUNT = "/portal/settings/account";

	private static final Pattern CREATED_URL = Pattern.compile("data-test=\"created-url\">([^<]+)<");

	private static final Pattern SECRET = Pattern.compile("data-test=\"two-factor-secret\">([A-Z2-7]+)<");

	@Test
	void aSignInThatCouldNotBeCheckedInTimeSaysToTryAgain() {
		// The sign-in form's failure handler sends a busy sign-in here
		// (PasswordHashingUnitTests
		// shows when a sign-in is busy); the page says what to do.
		String page = new PortalBrowser(this.client.base()).get("/portal/sign-in?busy").body();
		assertThat(page).contains("Too many people are signing in at this")
			.doesNotContain("The email or password is not right");
	}

	@Test
	void anAdminInvitesFromTheUsersPageAndTheLinkWorksOnceForTheRole() {
		TestBrand brand = this.client.createBrand();
		String adminEmail = newEmail();
		PortalBrowser admin = signedInUser(brand, adminEmail, "admin");
		PortalBrowser.Page page = admin.get(USERS);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains(adminEmail).contains("id=\"invite-form\"");

		String email = newEmail();
		PortalBrowser.Page invited = admin.submit(USERS, USERS + "/invitations",
				Map.of("email", email.toUpperCase(Locale.ROOT), "role", "developer"));
		assertThat(invited.status()).as(invited.toString()).isEqualTo(200);
		assertThat(invited.header("Cache-Control")).contains("no-store");
		String url = createdUrl(invited);
		assertThat(url).startsWith(this.client.base() + "/portal/invitations/");
		assertThat(invited.body()).contains("It was not emailed");
		// Listed as open, the link itself never again.
		PortalBrowser.Page listed = admin.get(USERS);
		assertThat(listed.body()).contains(email).doesNotContain(url.substring(this.client.base().length()));

		String path = url.substring(this.client.base().length());
		PortalBrowser invitee = new PortalBrowser(this.client.base());
		PortalBrowser.Page accepted = invitee.submit(path, path,
				Map.of("password", PASSWORD, "confirmation", PASSWORD));
		assertThat(accepted.status()).isEqualTo(302);
		assertThat(accepted.location()).endsWith("/portal");
		PortalBrowser.Page account = invitee.get(ACCOUNT);
		assertThat(account.status()).isEqualTo(200);
		assertThat(account.body()).contains("id=\"account-role\">developer<").contains(email);
		assertThat(new PortalBrowser(this.client.base()).get(path).status()).isEqualTo(404);

		PortalBrowser.Page users = admin.get(USERS);
		assertThat(users.body()).contains(email).contains("id=\"no-invitations\"");
	}

	@Test
	void anAdminRevokesAnOpenInvitation() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		String email = newEmail();
		String url = createdUrl(admin.submit(USERS, USERS + "/invitations", Map.of("email", email, "role", "viewer")));
		String invitationId = invitationId(admin.get(USERS).body(), email);

		PortalBrowser.Page revoked = admin.submit(USERS, USERS + "/invitations/" + invitationId + "/revoke", Map.of());
		assertThat(revoked.status()).isEqualTo(302);
		assertThat(admin.get(USERS).body()).contains("Invitation revoked").doesNotContain(email);
		assertThat(new PortalBrowser(this.client.base()).get(url.substring(this.client.base().length())).status())
			.isEqualTo(404);
		assertThat(admin.submit(USERS, USERS + "/invitations/" + invitationId + "/revoke", Map.of()).status())
			.isEqualTo(404);
	}

	@Test
	void badInvitationsAreShownAgainWithTheReasonAndEscaped() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		PortalBrowser.Page notAnEmail = admin.submit(USERS, USERS + "/invitations",
				Map.of("email", "<script>alert(1)</script>", "role", "viewer"));
		assertThat(notAnEmail.status()).isEqualTo(422);
		assertThat(notAnEmail.body()).contains("plain email address")
			.contains("aria-describedby=\"invite-error\"")
			.doesNotContain("<script>alert(1)")
			.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"");
		assertThat(admin.submit(USERS, USERS + "/invitations", Map.of("email", newEmail(), "role", "owner")).status())
			.isEqualTo(422);
		assertThat(admin.submit(USERS, USERS + "/invitations", Map.of()).status()).isEqualTo(422);
		String taken = newEmail();
		signedInUser(this.client.createBrand(), taken, "viewer");
		PortalBrowser.Page exists = admin.submit(USERS, USERS + "/invitations",
				Map.of("email", taken, "role", "admin"));
		assertThat(exists.status()).isEqualTo(422);
		assertThat(exists.body()).contains("already exists");

		// Addresses with characters HTML cares about are rendered escaped.
		String odd = "o'brien&co" + EMAILS.incrementAndGet() + "@example.com";
		PortalBrowser.Page created = admin.submit(USERS, USERS + "/invitations",
				Map.of("email", odd, "role", "viewer"));
		assertThat(created.status()).isEqualTo(200);
		assertThat(admin.get(USERS).body()).doesNotContain(odd)
			.contains(odd.replace("&", "&amp;").replace("'", "&#39;"));
	}

	@Test
	void developersAndViewersReadTheUsersButChangeNothing() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		String targetEmail = newEmail();
		signedInUser(brand, targetEmail, "viewer");
		createdUrl(admin.submit(USERS, USERS + "/invitations", Map.of("email", newEmail(), "role", "viewer")));
		String usersPage = admin.get(USERS).body();
		String targetId = userId(usersPage, targetEmail);
		String invitationId = invitationId(usersPage, null);

		for (String role : List.of("developer", "viewer")) {
			PortalBrowser lesser = signedInUser(brand, role);
			PortalBrowser.Page page = lesser.get(USERS);
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.body()).contains(targetEmail).doesNotContain("id=\"invite-form\"").doesNotContain("Remove");
			Map<String, Map<String, String>> posts = new LinkedHashMap<>();
			posts.put(USERS + "/invitations", Map.of("email", newEmail(), "role", "admin"));
			posts.put(USERS + "/invitations/" + invitationId + "/revoke", Map.of());
			posts.put(USERS + "/" + targetId + "/role", Map.of("role", "admin"));
			posts.put(USERS + "/" + targetId + "/remove", Map.of());
			posts.put(USERS + "/" + targetId + "/password-reset", Map.of());
			posts.put(USERS + "/" + targetId + "/two-factor/disable", Map.of());
			posts.forEach((path, fields) -> {
				PortalBrowser.Page refused = lesser.submit(USERS, path, fields);
				assertThat(refused.status()).as(path).isEqualTo(403);
				assertThat(refused.body()).as(role + " " + path).contains("Only admins may");
			});
		}
		String after = admin.get(USERS).body();
		assertThat(userRow(after, targetId)).contains("<td>viewer</td>");
		assertThat(after).contains("data-test=\"invitation-" + invitationId + "\"");
	}

	@Test
	void removingAUserSignsThemOutAtOnce() {
		TestBrand brand = this.client.createBrand();
		String adminEmail = newEmail();
		PortalBrowser admin = signedInUser(brand, adminEmail, "admin");
		String email = newEmail();
		PortalBrowser removed = signedInUser(brand, email, "developer");
		assertThat(removed.get("/portal").status()).isEqualTo(200);
		String page = admin.get(USERS).body();
		String userId = userId(page, email);
		String adminId = userId(page, adminEmail);

		PortalBrowser.Page done = admin.submit(USERS, USERS + "/" + userId + "/remove", Map.of());
		assertThat(done.status()).isEqualTo(302);
		assertThat(admin.get(USERS).body()).doesNotContain(email);

		PortalBrowser.Page next = removed.get("/portal");
		assertThat(next.status()).isEqualTo(302);
		assertThat(next.location()).endsWith("/portal/sign-in");
		assertThat(removed.signIn(email, PASSWORD).location()).endsWith("/portal/sign-in?error");
		assertThat(admin.submit(USERS, USERS + "/" + userId + "/remove", Map.of()).status()).isEqualTo(404);

		// Not yourself; and the brand keeps an admin.
		PortalBrowser.Page self = admin.submit(USERS, USERS + "/" + adminId + "/remove", Map.of());
		assertThat(self.status()).isEqualTo(409);
		assertThat(self.body()).contains("cannot remove yourself");
		PortalBrowser.Page lastAdmin = admin.submit(USERS, USERS + "/" + adminId + "/role",
				Map.of("role", "developer"));
		assertThat(lastAdmin.status()).isEqualTo(409);
		assertThat(lastAdmin.body()).contains("at least one admin");
		assertThat(admin.get(USERS).status()).isEqualTo(200);
	}

	@Test
	void aNewRoleHoldsFromTheUsersNextRequest() {
		TestBrand brand = this.client.createBrand();
		String adminEmail = newEmail();
		PortalBrowser admin = signedInUser(brand, adminEmail, "admin");
		String email = newEmail();
		PortalBrowser promoted = signedInUser(brand, email, "viewer");
		assertThat(
				promoted.submit(USERS, USERS + "/invitations", Map.of("email", newEmail(), "role", "viewer")).status())
			.isEqualTo(403);
		String userId = userId(admin.get(USERS).body(), email);
		String adminId = userId(admin.get(USERS).body(), adminEmail);

		assertThat(admin.submit(USERS, USERS + "/" + userId + "/role", Map.of("role", "admin")).status())
			.isEqualTo(302);
		assertThat(promoted.get(ACCOUNT).body()).contains("id=\"account-role\">admin<");
		assertThat(
				promoted.submit(USERS, USERS + "/invitations", Map.of("email", newEmail(), "role", "viewer")).status())
			.isEqualTo(200);

		// With two admins, one may step down; then they lose the powers at once.
		assertThat(admin.submit(USERS, USERS + "/" + adminId + "/role", Map.of("role", "viewer")).status())
			.isEqualTo(302);
		assertThat(admin.submit(USERS, USERS + "/invitations", Map.of("email", newEmail(), "role", "viewer")).status())
			.isEqualTo(403);
		assertThat(promoted.submit(USERS, USERS + "/" + adminId + "/role", Map.of("role", "owner")).status())
			.isEqualTo(422);
	}

	@Test
	void aResetLinkSetsANewPasswordOnceAndEndsTheOtherSessions() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		String email = newEmail();
		PortalBrowser first = signedInUser(brand, email, "developer");
		PortalBrowser second = new PortalBrowser(this.client.base());
		assertThat(second.signIn(email, PASSWORD).location()).endsWith("/portal");
		String userId = userId(admin.get(USERS).body(), email);

		PortalBrowser.Page issued = admin.submit(USERS, USERS + "/" + userId + "/password-reset", Map.of());
		assertThat(issued.status()).isEqualTo(200);
		assertThat(issued.header("Cache-Control")).contains("no-store");
		String other = createdUrl(admin.submit(USERS, USERS + "/" + userId + "/password-reset", Map.of()))
			.substring(this.client.base().length());
		String path = createdUrl(issued).substring(this.client.base().length());
		assertThat(path).startsWith("/portal/password-reset/");

		PortalBrowser reset = new PortalBrowser(this.client.base());
		PortalBrowser.Page form = reset.get(path);
		assertThat(form.status()).isEqualTo(200);
		assertThat(form.body()).contains(email);
		assertThat(reset.submit(path, path, Map.of("password", "short", "confirmation", "short")).status())
			.isEqualTo(422);
		assertThat(reset.submit(path, path, Map.of("password", "a new passphrase", "confirmation", "other")).status())
			.isEqualTo(422);
		String before = reset.sessionId();
		PortalBrowser.Page done = reset.submit(path, path,
				Map.of("password", "a new passphrase", "confirmation", "a new passphrase"));
		assertThat(done.status()).isEqualTo(302);
		assertThat(done.location()).endsWith("/portal");
		assertThat(reset.sessionId()).isNotEqualTo(before);
		assertThat(reset.get("/portal").status()).isEqualTo(200);

		// Once only; the other open link is used up too.
		assertThat(new PortalBrowser(this.client.base()).get(path).status()).isEqualTo(404);
		assertThat(new PortalBrowser(this.client.base()).get(other).status()).isEqualTo(404);
		// The sessions signed in with the old password are over; it no longer signs in.
		assertThat(first.get("/portal").location()).endsWith("/portal/sign-in");
		assertThat(second.get("/portal").location()).endsWith("/portal/sign-in");
		assertThat(new PortalBrowser(this.client.base()).signIn(email, PASSWORD).location())
			.endsWith("/portal/sign-in?error");
		assertThat(new PortalBrowser(this.client.base()).signIn(email, "a new passphrase").location())
			.endsWith("/portal");
	}

	@Test
	void anExpiredResetLinkIsRefused() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		String email = newEmail();
		signedInUser(brand, email, "viewer");
		String path = resetLinkPath(admin, userId(admin.get(USERS).body(), email));
		PortalBrowser reset = new PortalBrowser(this.client.base());
		assertThat(reset.get(path).status()).isEqualTo(200);
		String token = reset.get(path).csrfToken();

		this.clock.advance(Duration.ofMinutes(61));
		assertThat(reset.get(path).status()).isEqualTo(404);
		assertThat(reset
			.post(path, Map.of("password", "a new passphrase", "confirmation", "a new passphrase", "_csrf", token))
			.status()).isEqualTo(404);
		assertThat(new PortalBrowser(this.client.base()).signIn(email, PASSWORD).location()).endsWith("/portal");
	}

	/**
	 * The table keeps a user's recent reset links, not every link ever sent: links that
	 * expired more than 30 days ago are forgotten when the user gets a new one.
	 */
	@Test
	void longExpiredResetLinksAreForgottenWhenTheUserGetsANewOne() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		String email = newEmail();
		signedInUser(brand, email, "viewer");
		String userId = userId(admin.get(USERS).body(), email);
		resetLinkPath(admin, userId);
		resetLinkPath(admin, userId);
		assertThat(resetLinks(userId)).isEqualTo(2);

		this.clock.advance(Duration.ofDays(31));
		String path = resetLinkPath(signedInUser(brand, "admin"), userId);
		assertThat(resetLinks(userId)).isEqualTo(1);
		assertThat(new PortalBrowser(this.client.base()).get(path).status()).isEqualTo(200);
	}

	/** Has {@code admin} create a reset link for the user; its path. */
	private String resetLinkPath(PortalBrowser admin, String userId) {
		return createdUrl(admin.submit(USERS, USERS + "/" + userId + "/password-reset", Map.of()))
			.substring(this.client.base().length());
	}

	private int resetLinks(String userId) {
		return this.jdbc.sql("select count(*) from portal_password_resets where user_id = :user")
			.param("user", userId)
			.query(Integer.class)
			.single();
	}

	@Test
	void forgotPasswordAnswersTheSameForAnyEmail() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		signedInUser(brand, email, "viewer");
		PortalBrowser browser = new PortalBrowser(this.client.base());
		assertThat(browser.get("/portal/sign-in").body()).contains("href=\"/portal/forgot-password\"");
		PortalBrowser.Page page = browser.get("/portal/forgot-password");
		assertThat(page.status()).isEqualTo(200);
		// Without SMTP the page says so and offers no form.
		assertThat(page.body()).contains("id=\"reset-no-mail\"");

		String token = browser.get("/portal/sign-in").csrfToken();
		PortalBrowser.Page known = browser.post("/portal/forgot-password", Map.of("email", email, "_csrf", token));
		PortalBrowser.Page unknown = browser.post("/portal/forgot-password",
				Map.of("email", "nobody-" + email, "_csrf", token));
		PortalBrowser.Page malformed = browser.post("/portal/forgot-password",
				Map.of("email", "<script>", "_csrf", token));
		assertThat(known.status()).isEqualTo(302);
		assertThat(List.of(unknown, malformed)).allSatisfy((answer) -> {
			assertThat(answer.status()).isEqualTo(known.status());
			assertThat(answer.location()).isEqualTo(known.location());
			assertThat(answer.body()).isEqualTo(known.body());
		});
		assertThat(browser.post("/portal/forgot-password", Map.of("email", email)).status()).isEqualTo(403);
	}

	@Test
	void theOwnPasswordChangesWithTheCurrentOneAndEndsOtherSessions() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		PortalBrowser browser = signedInUser(brand, email, "viewer");
		PortalBrowser elsewhere = new PortalBrowser(this.client.base());
		elsewhere.signIn(email, PASSWORD);
		assertThat(elsewhere.get("/portal").status()).isEqualTo(200);

		PortalBrowser.Page wrong = browser.submit(ACCOUNT, ACCOUNT + "/password", Map.of("current", "not my password",
				"password", "a new passphrase", "confirmation", "a new passphrase"));
		assertThat(wrong.status()).isEqualTo(422);
		assertThat(wrong.body()).contains("current password is not right");
		PortalBrowser.Page mismatch = browser.submit(ACCOUNT, ACCOUNT + "/password",
				Map.of("current", PASSWORD, "password", "a new passphrase", "confirmation", "something else"));
		assertThat(mismatch.status()).isEqualTo(422);
		assertThat(mismatch.body()).contains("do not match");

		String before = browser.sessionId();
		PortalBrowser.Page changed = browser.submit(ACCOUNT, ACCOUNT + "/password",
				Map.of("current", PASSWORD, "password", "a new passphrase", "confirmation", "a new passphrase"));
		assertThat(changed.status()).isEqualTo(302);
		assertThat(browser.sessionId()).isNotEqualTo(before);
		assertThat(browser.get(ACCOUNT).body()).contains("Password changed");
		assertThat(elsewhere.get("/portal").location()).endsWith("/portal/sign-in");
		assertThat(new PortalBrowser(this.client.base()).signIn(email, PASSWORD).location())
			.endsWith("/portal/sign-in?error");
		assertThat(new PortalBrowser(this.client.base()).signIn(email, "a new passphrase").location())
			.endsWith("/portal");
	}

	@Test
	void twoFactorSignInTurnsOnAsksForACodeRefusesReplaysAndTurnsOff() {
		TestBrand brand = this.client.createBrand(Map.of("name", "<script>alert(1)</script>"));
		String email = newEmail();
		PortalBrowser browser = signedInUser(brand, email, "viewer");
		this.clock.freeze();

		PortalBrowser.Page setup = browser.submit(ACCOUNT, ACCOUNT + "/two-factor/setup", Map.of());
		assertThat(setup.status()).isEqualTo(200);
		assertThat(setup.header("Cache-Control")).contains("no-store");
		assertThat(setup.body()).contains("src=\"data:image/svg+xml;base64,")
			.contains("otpauth://totp/")
			.doesNotContain("<script>alert(1)");
		String secret = secret(setup);
		PortalBrowser.Page wrong = browser.submit(ACCOUNT, ACCOUNT + "/two-factor/enable",
				Map.of("code", wrongCode(secret)));
		assertThat(wrong.status()).isEqualTo(422);
		assertThat(secret(wrong)).isEqualTo(secret);
		String enableCode = code(secret, this.clock.instant());
		PortalBrowser.Page enabled = browser.submit(ACCOUNT, ACCOUNT + "/two-factor/enable",
				Map.of("code", enableCode));
		assertThat(enabled.status()).isEqualTo(302);
		assertThat(browser.get(ACCOUNT).body()).contains("id=\"two-factor-status\" class=\"badge ok\">on<");
		// A session alone cannot replace the secret.
		PortalBrowser.Page again = browser.submit(ACCOUNT, ACCOUNT + "/two-factor/setup", Map.of());
		assertThat(again.status()).isEqualTo(302);
		assertThat(browser.get(ACCOUNT).body()).contains("on already")
			.doesNotContain("data-test=\"two-factor-secret\"");

		// The password alone does not sign in.
		PortalBrowser other = new PortalBrowser(this.client.base());
		PortalBrowser.Page password = other.signIn(email, PASSWORD);
		assertThat(password.location()).endsWith("/portal/sign-in/code");
		assertThat(other.get("/portal").location()).endsWith("/portal/sign-in");
		assertThat(other.get("/portal/sign-in/code").status()).isEqualTo(200);
		assertThat(other.submit("/portal/sign-in/code", "/portal/sign-in/code", Map.of("code", wrongCode(secret)))
			.status()).isEqualTo(422);
		// The code that turned it on was used: it cannot sign in.
		assertThat(other.submit("/portal/sign-in/code", "/portal/sign-in/code", Map.of("code", enableCode)).status())
			.isEqualTo(422);
		assertThat(other.get("/portal").location()).endsWith("/portal/sign-in");

		this.clock.advance(Duration.ofSeconds(30));
		String code = code(secret, this.clock.instant());
		String before = other.sessionId();
		PortalBrowser.Page signedIn = other.submit("/portal/sign-in/code", "/portal/sign-in/code",
				Map.of("code", code));
		assertThat(signedIn.location()).endsWith("/portal");
		assertThat(other.sessionId()).isNotEqualTo(before);
		assertThat(other.get("/portal").status()).isEqualTo(200);

		// A code works once, even in another sign-in.
		PortalBrowser third = new PortalBrowser(this.client.base());
		third.signIn(email, PASSWORD);
		assertThat(third.submit("/portal/sign-in/code", "/portal/sign-in/code", Map.of("code", code)).status())
			.isEqualTo(422);
		assertThat(third.get("/portal").location()).endsWith("/portal/sign-in");

		// Turning it off takes a current code.
		assertThat(browser.submit(ACCOUNT, ACCOUNT + "/two-factor/disable", Map.of("code", code)).status())
			.isEqualTo(422);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(browser
			.submit(ACCOUNT, ACCOUNT + "/two-factor/disable", Map.of("code", code(secret, this.clock.instant())))
			.status()).isEqualTo(302);
		assertThat(browser.get(ACCOUNT).body()).contains("id=\"two-factor-status\" class=\"badge\">off<");
		assertThat(new PortalBrowser(this.client.base()).signIn(email, PASSWORD).location()).endsWith("/portal");
	}

	@Test
	void wrongCodesAreThrottledLikePasswords() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		PortalBrowser browser = signedInUser(brand, email, "viewer");
		this.clock.freeze();
		String secret = enableTwoFactor(browser);

		PortalBrowser other = new PortalBrowser(this.client.base());
		assertThat(other.signIn(email, PASSWORD).location()).endsWith("/portal/sign-in/code");
		for (int i = 0; i < 5; i++) {
			assertThat(other.submit("/portal/sign-in/code", "/portal/sign-in/code", Map.of("code", wrongCode(secret)))
				.status()).isEqualTo(422);
		}
		this.clock.advance(Duration.ofSeconds(30));
		PortalBrowser.Page throttled = other.submit("/portal/sign-in/code", "/portal/sign-in/code",
				Map.of("code", code(secret, this.clock.instant())));
		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.body()).contains("Too many wrong codes");
		assertThat(other.get("/portal").location()).endsWith("/portal/sign-in");

		this.clock.advance(Duration.ofMinutes(16));
		PortalBrowser later = new PortalBrowser(this.client.base());
		assertThat(later.signIn(email, PASSWORD).location()).endsWith("/portal/sign-in/code");
		assertThat(later
			.submit("/portal/sign-in/code", "/portal/sign-in/code", Map.of("code", code(secret, this.clock.instant())))
			.location()).endsWith("/portal");
	}

	@Test
	void theCodeStepTimesOutAndCannotBeSkipped() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		PortalBrowser browser = signedInUser(brand, email, "viewer");
		this.clock.freeze();
		String secret = enableTwoFactor(browser);
		PortalBrowser anonymous = new PortalBrowser(this.client.base());
		assertThat(anonymous.get("/portal/sign-in/code").location()).endsWith("/portal/sign-in?expired");

		PortalBrowser other = new PortalBrowser(this.client.base());
		other.signIn(email, PASSWORD);
		String token = other.get("/portal/sign-in/code").csrfToken();
		this.clock.advance(Duration.ofMinutes(6));
		PortalBrowser.Page late = other.post("/portal/sign-in/code",
				Map.of("code", code(secret, this.clock.instant()), "_csrf", token));
		assertThat(late.location()).endsWith("/portal/sign-in?expired");
		assertThat(other.get("/portal").location()).endsWith("/portal/sign-in");
	}

	@Test
	void anAdminTurnsOffTwoFactorForAUserWhoLostTheirApp() {
		TestBrand brand = this.client.createBrand();
		String adminEmail = newEmail();
		PortalBrowser admin = signedInUser(brand, adminEmail, "admin");
		String email = newEmail();
		PortalBrowser user = signedInUser(brand, email, "viewer");
		this.clock.freeze();
		enableTwoFactor(user);
		String userId = userId(admin.get(USERS).body(), email);
		assertThat(userRow(admin.get(USERS).body(), userId)).contains(">on<");
		assertThat(admin.submit(USERS, USERS + "/" + userId + "/two-factor/disable", Map.of()).status()).isEqualTo(302);
		assertThat(new PortalBrowser(this.client.base()).signIn(email, PASSWORD).location()).endsWith("/portal");

		// Not their own: that takes a code, on Your account.
		enableTwoFactor(admin);
		String adminId = userId(admin.get(USERS).body(), adminEmail);
		PortalBrowser.Page own = admin.submit(USERS, USERS + "/" + adminId + "/two-factor/disable", Map.of());
		assertThat(own.status()).isEqualTo(409);
		assertThat(userRow(admin.get(USERS).body(), adminId)).contains(">on<");
	}

	@Test
	void anotherBrandsAdminCanNeitherSeeNorTouchTheUsers() {
		TestBrand first = this.client.createBrand();
		TestBrand second = this.client.createBrand();
		PortalBrowser firstAdmin = signedInUser(first, "admin");
		String email = newEmail();
		signedInUser(first, email, "developer");
		String invited = newEmail();
		createdUrl(firstAdmin.submit(USERS, USERS + "/invitations", Map.of("email", invited, "role", "viewer")));
		String page = firstAdmin.get(USERS).body();
		String userId = userId(page, email);
		String invitationId = invitationId(page, invited);

		PortalBrowser secondAdmin = signedInUser(second, "admin");
		PortalBrowser.Page theirs = secondAdmin.get(USERS);
		assertThat(theirs.body()).doesNotContain(email).doesNotContain(invited).doesNotContain(userId);
		for (String path : List.of(USERS + "/" + userId + "/role", USERS + "/" + userId + "/remove",
				USERS + "/" + userId + "/password-reset", USERS + "/" + userId + "/two-factor/disable",
				USERS + "/invitations/" + invitationId + "/revoke")) {
			assertThat(secondAdmin.submit(USERS, path, Map.of("role", "viewer")).status()).as(path).isEqualTo(404);
		}
		String after = firstAdmin.get(USERS).body();
		assertThat(userRow(after, userId)).contains("<td>developer</td>");
		assertThat(after).contains(invited);
	}

	@Test
	void everyNewFormNeedsTheCsrfToken() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser admin = signedInUser(brand, "admin");
		String email = newEmail();
		signedInUser(brand, email, "viewer");
		createdUrl(admin.submit(USERS, USERS + "/invitations", Map.of("email", newEmail(), "role", "viewer")));
		String page = admin.get(USERS).body();
		String userId = userId(page, email);
		String invitationId = invitationId(page, null);
		for (String path : List.of(USERS + "/invitations", USERS + "/invitations/" + invitationId + "/revoke",
				USERS + "/" + userId + "/role", USERS + "/" + userId + "/remove",
				USERS + "/" + userId + "/password-reset", USERS + "/" + userId + "/two-factor/disable",
				ACCOUNT + "/password", ACCOUNT + "/two-factor/setup", ACCOUNT + "/two-factor/enable",
				ACCOUNT + "/two-factor/disable", "/portal/sign-in/code", "/portal/forgot-password",
				"/portal/password-reset/anything")) {
			PortalBrowser.Page refused = admin.post(path, Map.of("email", newEmail(), "role", "admin", "current",
					PASSWORD, "password", "a new passphrase", "confirmation", "a new passphrase", "code", "123456"));
			assertThat(refused.status()).as(path).isEqualTo(403);
			assertThat(refused.body()).contains("Not allowed");
		}
		String after = admin.get(USERS).body();
		assertThat(userRow(after, userId)).contains("<td>viewer</td>");
		assertThat(after).contains("data-test=\"invitation-" + invitationId + "\"");
		assertThat(new PortalBrowser(this.client.base()).signIn(email, PASSWORD).location()).endsWith("/portal");
	}

	/**
	 * Wrong passwords and codes count towards this client address's limit too, which
	 * every test here shares: once the window has passed they are forgotten.
	 */
	@AfterEach
	void forgetFailures() {
		this.clock.advance(Duration.ofMinutes(16));
	}

	// ---- helpers

	private String enableTwoFactor(PortalBrowser browser) {
		String secret = secret(browser.submit(ACCOUNT, ACCOUNT + "/two-factor/setup", Map.of()));
		assertThat(browser
			.submit(ACCOUNT, ACCOUNT + "/two-factor/enable", Map.of("code", code(secret, this.clock.instant())))
			.status()).isEqualTo(302);
		return secret;
	}

	private static String createdUrl(PortalBrowser.Page page) {
		Matcher matcher = CREATED_URL.matcher(page.body());
		assertThat(matcher.find()).as(page.toString()).isTrue();
		return matcher.group(1);
	}

	private static String secret(PortalBrowser.Page page) {
		Matcher matcher = SECRET.matcher(page.body());
		assertThat(matcher.find()).as(page.toString()).isTrue();
		return matcher.group(1);
	}

	/** The id of the user with {@code email} on the Users page. */
	private static String userId(String page, String email) {
		Matcher rows = Pattern.compile("data-test=\"user-(pusr_[^\"]+)\">(.*?)</tr>", Pattern.DOTALL).matcher(page);
		while (rows.find()) {
			if (rows.group(2).contains(">" + email + "<")) {
				return rows.group(1);
			}
		}
		throw new AssertionError("No user " + email + " on the page: " + page);
	}

	private static String userRow(String page, String userId) {
		Matcher row = Pattern.compile("data-test=\"user-" + Pattern.quote(userId) + "\">(.*?)</tr>", Pattern.DOTALL)
			.matcher(page);
		assertThat(row.find()).as(page).isTrue();
		return row.group(1);
	}

	/**
	 * The id of the open invitation for {@code email} (or the first) on the Users page.
	 */
	private static String invitationId(String page, String email) {
		Matcher rows = Pattern.compile("data-test=\"invitation-(pinv_[^\"]+)\">(.*?)</tr>", Pattern.DOTALL)
			.matcher(page);
		while (rows.find()) {
			if (email == null || rows.group(2).contains(">" + email + "<")) {
				return rows.group(1);
			}
		}
		throw new AssertionError("No invitation on the page: " + page);
	}

	/** A six-digit code that is none of the codes around {@code now}. */
	private String wrongCode(String secret) {
		Instant now = this.clock.instant();
		List<String> valid = List.of(code(secret, now.minusSeconds(30)), code(secret, now),
				code(secret, now.plusSeconds(30)));
		for (int i = 0;; i++) {
			String candidate = String.format(Locale.ROOT, "%06d", (123_456 + i * 7_919) % 1_000_000);
			if (!valid.contains(candidate)) {
				return candidate;
			}
		}
	}

	/**
	 * The TOTP code of {@code now}, computed here independently of the server (RFC 6238).
	 */
	static String code(String base32Secret, Instant now) {
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(new SecretKeySpec(base32(base32Secret), "HmacSHA1"));
			byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(now.getEpochSecond() / 30).array());
			int offset = hash[19] & 0xf;
			int value = ByteBuffer.wrap(hash, offset, 4).getInt() & 0x7fffffff;
			return String.format(Locale.ROOT, "%06d", value % 1_000_000);
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] base32(String text) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
		ByteBuffer out = ByteBuffer.allocate(text.length() * 5 / 8);
		long buffer = 0;
		int bits = 0;
		for (char c : text.toCharArray()) {
			buffer = (buffer << 5) | alphabet.indexOf(c);
			bits += 5;
			if (bits >= 8) {
				out.put((byte) (buffer >> (bits - 8)));
				bits -= 8;
			}
		}
		return out.array();
	}

}
