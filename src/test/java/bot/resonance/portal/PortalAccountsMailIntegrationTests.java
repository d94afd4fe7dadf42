package bot.resonance.portal;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.SmtpIntegrationTestSupport;
import bot.resonance.support.TestBrand;

import static bot.resonance.support.ResonanceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Portal accounts with a real SMTP server (GreenMail): invitations and reset links made
 * on the Users page are mailed too, and "Forgot your password?" mails a one-time link to
 * users only, answering the same for every address.
 */
@IntegrationTest
class PortalAccountsMailIntegrationTests extends SmtpIntegrationTestSupport {

	private static final AtomicLong EMAILS = new AtomicLong();

	private static final String PASSWORD = "correct horse battery";

	private static final String USERS = "/portal/settings/users";

	private static final String LINK = "(https?://\\S+/portal/(?:invitations|password-reset)/[0-9A-Za-z]+)";

	@Test
	void invitationsAndResetLinksFromTheUsersPageAreMailed() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Mail brand"));
		PortalBrowser admin = signedInUser(brand, newEmail(), "admin");
		String email = newEmail();
		PortalBrowser.Page invited = admin.submit(USERS, USERS + "/invitations",
				Map.of("email", email, "role", "viewer"));
		assertThat(invited.status()).isEqualTo(200);
		assertThat(invited.body()).contains("It was also emailed to them.");
		String mailed = codeIn(lastMailTo(email), LINK);
		assertThat(invited.body()).contains(mailed);
		String path = mailed.substring(this.client.base().length());
		PortalBrowser invitee = new PortalBrowser(this.client.base());
		assertThat(invitee.submit(path, path, Map.of("password", PASSWORD, "confirmation", PASSWORD)).location())
			.endsWith("/portal");

		String userId = userId(admin.get(USERS).body(), email);
		PortalBrowser.Page reset = admin.submit(USERS, USERS + "/" + userId + "/password-reset", Map.of());
		assertThat(reset.body()).contains("It was also emailed to them.");
		String resetLink = codeIn(lastMailTo(email), "(https?://\\S+/portal/password-reset/[0-9A-Za-z]+)");
		assertThat(reset.body()).contains(resetLink);
	}

	@Test
	void forgotPasswordMailsUsersALinkAndAnswersTheSameForEveryone() {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		PortalBrowser user = signedInUser(brand, email, "viewer");
		PortalBrowser browser = new PortalBrowser(this.client.base());
		PortalBrowser.Page form = browser.get("/portal/forgot-password");
		assertThat(form.body()).contains("id=\"forgot-form\"");

		String unknownEmail = "nobody-" + newEmail();
		PortalBrowser.Page unknown = browser.post("/portal/forgot-password",
				Map.of("email", unknownEmail, "_csrf", form.csrfToken()));
		PortalBrowser.Page known = browser.post("/portal/forgot-password",
				Map.of("email", email.toUpperCase(java.util.Locale.ROOT), "_csrf", form.csrfToken()));
		assertThat(known.status()).isEqualTo(302);
		assertThat(unknown.status()).isEqualTo(known.status());
		assertThat(unknown.location()).isEqualTo(known.location());
		assertThat(unknown.body()).isEqualTo(known.body());
		assertThat(browser.get(known.location().replaceFirst("^https?://[^/]+", "")).body())
			.contains("id=\"reset-sent\"");

		MimeMessage mail = lastMailTo(email);
		String path = codeIn(mail, LINK).substring(this.client.base().length());
		assertThat(path).startsWith("/portal/password-reset/");
		assertThat(Arrays.stream(SMTP.getReceivedMessages()).filter((m) -> recipientIs(m, unknownEmail))).isEmpty();

		PortalBrowser reset = new PortalBrowser(this.client.base());
		assertThat(reset.submit(path, path, Map.of("password", "a new passphrase", "confirmation", "a new passphrase"))
			.location()).endsWith("/portal");
		assertThat(user.get("/portal").location()).endsWith("/portal/sign-in");
		assertThat(new PortalBrowser(this.client.base()).get(path).status()).isEqualTo(404);
	}

	/**
	 * Without a configured public address, a reset link could only be built from the
	 * request's Host, which is the sender's to choose: a request naming another host gets
	 * no mail sent (the same answer as ever), and its page says what the operator sets.
	 */
	@Test
	void aResetLinkNeverPointsAtAHostTheRequestNames() throws Exception {
		TestBrand brand = this.client.createBrand();
		String email = newEmail();
		signedInUser(brand, email, "admin");
		int before = SMTP.getReceivedMessages().length;

		String page = raw(
				"GET /portal/forgot-password HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
		assertThat(page).startsWith("HTTP/1.1 200")
			.contains("id=\"reset-needs-address\"")
			.contains("resonance.portal.public-base-url")
			.doesNotContain("id=\"forgot-form\"");
		// A session and its CSRF token, from a page with a form (this one has none now).
		String signIn = raw("GET /portal/sign-in HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
		Matcher cookie = Pattern.compile("Set-Cookie: ([^=]+=[^;]+)").matcher(signIn);
		Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(signIn);
		assertThat(cookie.find() && token.find()).as(signIn).isTrue();
		String form = "email=" + java.net.URLEncoder.encode(email, java.nio.charset.StandardCharsets.UTF_8) + "&_csrf="
				+ java.net.URLEncoder.encode(token.group(1), java.nio.charset.StandardCharsets.UTF_8);
		String posted = raw("POST /portal/forgot-password HTTP/1.1\r\nHost: attacker.example\r\nCookie: "
				+ cookie.group(1) + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
				+ form.length() + "\r\nConnection: close\r\n\r\n" + form);
		assertThat(posted).startsWith("HTTP/1.1 302").contains("/portal/forgot-password?sent");
		Thread.sleep(1_000); // the mail would go out in the background
		assertThat(Arrays.stream(SMTP.getReceivedMessages()).skip(before).filter((m) -> recipientIs(m, email)))
			.isEmpty();
	}

	private String raw(String request) throws Exception {
		int port = Integer.parseInt(this.client.base().replaceFirst(".*:", ""));
		try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
			socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

	// ---- helpers (as PortalIntegrationTestSupport's, with mail)

	private PortalBrowser signedInUser(TestBrand brand, String email, String role) {
		ApiResponse invited = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/portal-invitations",
				json(Map.of("email", email, "role", role)));
		assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
		String path = invited.text("url").substring(this.client.base().length());
		PortalBrowser browser = new PortalBrowser(this.client.base());
		assertThat(browser.submit(path, path, Map.of("password", PASSWORD, "confirmation", PASSWORD)).status())
			.isEqualTo(302);
		return browser;
	}

	private static String userId(String page, String email) {
		Matcher rows = Pattern.compile("data-test=\"user-(pusr_[^\"]+)\">(.*?)</tr>", Pattern.DOTALL).matcher(page);
		while (rows.find()) {
			if (rows.group(2).contains(">" + email + "<")) {
				return rows.group(1);
			}
		}
		throw new AssertionError("No user " + email + " on the page: " + page);
	}

	private static boolean recipientIs(MimeMessage message, String address) {
		try {
			return message.getAllRecipients()[0].toString().equalsIgnoreCase(address);
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String newEmail() {
		return "mailuser" + EMAILS.incrementAndGet() + "." + System.nanoTime() + "@example.com";
	}

}
