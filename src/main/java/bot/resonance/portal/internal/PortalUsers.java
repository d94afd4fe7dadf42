package bot.resonance.portal.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.crypto.RandomTokens;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.platform.mail.Mail;
import bot.resonance.platform.mail.MailFailedException;
import bot.resonance.platform.mail.OutgoingMail;
import bot.resonance.platform.web.ApiException;
import bot.resonance.portal.PortalProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Portal users, their invitations and password resets: an invitation is a one-time link
 * for one email address and role in one brand; using it (choosing a password) creates the
 * user. A reset link is the same for an existing user's password. Tokens are kept only as
 * their hash. Admins change the roles of their brand's users and remove them, never
 * leaving the brand without an admin.
 */
@Service
class PortalUsers implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(PortalUsers.class);

	/** The longest password accepted: Argon2 takes any length, forms need a bound. */
	static final int MAX_PASSWORD_LENGTH = 256;

	private final PortalUserRepository repository;

	private final Brands brands;

	private final Mail mail;

	private final PasswordEncoder passwords;

	private final PortalProperties properties;

	private final TransactionTemplate transactions;

	private final IdGenerator ids;

	private final Clock clock;

	private final SignInThrottle throttle;

	/** Sends "forgot your password" mails, so that answering does not wait for SMTP. */
	private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

	PortalUsers(PortalUserRepository repository, Brands brands, Mail mail, PasswordEncoder portalPasswordEncoder,
			PortalProperties properties, TransactionTemplate transactions, IdGenerator ids, Clock clock,
			SignInThrottle throttle) {
		this.throttle = throttle;
		this.repository = repository;
		this.brands = brands;
		this.mail = mail;
		this.passwords = portalPasswordEncoder;
		this.properties = properties;
		this.transactions = transactions;
		this.ids = ids;
		this.clock = clock;
	}

	/**
	 * Invites {@code email} to the brand's portal with a role; the link is answered once
	 * and mailed when mail is configured.
	 * @param baseUrl where this server is reached, without a trailing slash
	 */
	CreatedInvitation invite(String brandId, @Nullable String rawEmail, @Nullable String rawRole, String baseUrl) {
		Brand brand = this.brands.find(brandId)
			.orElseThrow(() -> ApiException.notFound("brand_not_found", "No brand with brand_id " + brandId + "."));
		String email = EmailAddresses.normalize(rawEmail)
			.orElseThrow(
					() -> ApiException.invalidRequest("email must be one plain email address (name@example.com)."));
		PortalRole role = PortalRole.parse((rawRole != null) ? rawRole : "")
			.orElseThrow(() -> ApiException.invalidRequest("role must be admin, developer or viewer."));
		if (this.repository.emailTaken(email)) {
			throw ApiException.conflict("portal_user_exists",
					"A portal user with this email already exists; an email belongs to one brand.");
		}
		String token = RandomTokens.base62(43);
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.properties.invitationValidity());
		String id = this.ids.prefixed("pinv_");
		this.repository.insertInvitation(id, hash(token), brand.brandId(), email, role, now, expiresAt);
		String url = baseUrl + "/portal/invitations/" + token;
		boolean emailed = false;
		if (this.mail.available()) {
			try {
				this.mail.send(new OutgoingMail(email, "Your invitation to the " + oneLine(brand.name()) + " portal",
						"You have been invited to the Resonance Partner Portal of " + brand.name() + " as "
								+ role.value() + ".\n\nChoose your password here (the link works once, until "
								+ expiresAt + "):\n\n" + url + "\n"));
				emailed = true;
			}
			catch (MailFailedException | IllegalArgumentException ex) {
				log.warn("Could not mail the portal invitation {}: {}", id, ex.getMessage());
			}
		}
		return new CreatedInvitation(id, brand.brandId(), email, role.value(), expiresAt, url, emailed);
	}

	/** Whether mail can be sent (SMTP is configured). */
	boolean mailAvailable() {
		return this.mail.available();
	}

	/**
	 * Where this server is reached, without a trailing slash, for links: the configured
	 * public address, or the one the current request came to.
	 */
	static String baseUrl(PortalProperties properties) {
		String base = (properties.publicBaseUrl() != null) ? properties.publicBaseUrl().toString()
				: ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/**
	 * Where a link mailed to someone who is not signed in points (a password reset): the
	 * configured public address; unset, the current request's own address only if it came
	 * to the loopback interface. Any other {@code Host} (or forwarded host) is whatever
	 * the sender chose, and a link built from it would hand the token to them.
	 */
	static Optional<String> mailedLinkBase(PortalProperties properties, HttpServletRequest request) {
		if (properties.publicBaseUrl() != null || isLoopback(request.getServerName())) {
			return Optional.of(baseUrl(properties));
		}
		return Optional.empty();
	}

	private static boolean isLoopback(@Nullable String host) {
		if (host == null) {
			return false;
		}
		String name = host.toLowerCase(Locale.ROOT);
		return name.equals("localhost") || name.equals("[::1]") || name.equals("::1")
				|| name.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
	}

	/** The usable invitation with this token, if any. */
	Optional<PortalUserRepository.Invitation> invitation(String token) {
		return this.repository.usableInvitation(hash(token), this.clock.instant());
	}

	/**
	 * Uses the invitation to create its user with this password.
	 * @return the new user, or why not
	 */
	Acceptance accept(String token, @Nullable String password, @Nullable String confirmation) {
		String refusal = passwordRefusal(password, confirmation);
		if (refusal != null) {
			return new Acceptance.Refused(refusal);
		}
		// Hashing is slow on purpose: done before the transaction, not holding a row.
		String passwordHash = this.passwords.encode(password);
		Acceptance acceptance = this.transactions.execute((status) -> {
			Instant now = this.clock.instant();
			Optional<PortalUserRepository.Invitation> used = this.repository.useInvitation(hash(token), now);
			if (used.isEmpty()) {
				return new Acceptance.Invalid();
			}
			PortalUserRepository.Invitation invitation = used.get();
			String userId = this.ids.prefixed("pusr_");
			if (!this.repository.insertUser(userId, invitation.brandId(), invitation.email(), passwordHash,
					invitation.role(), now)) {
				status.setRollbackOnly();
				return new Acceptance.Refused("A portal user with this email already exists. Sign in instead.");
			}
			return new Acceptance.Accepted(
					new PortalPrincipal(userId, invitation.brandId(), invitation.email(), invitation.role(), null));
		});
		return (acceptance != null) ? acceptance : new Acceptance.Invalid();
	}

	// ---- the Users page

	/** The brand's users, by email. */
	List<PortalUserRepository.UserRow> users(String brandId) {
		return this.repository.users(brandId);
	}

	/** The brand's invitations that can still be used, newest first. */
	List<PortalUserRepository.OpenInvitation> openInvitations(String brandId) {
		return this.repository.openInvitations(brandId, this.clock.instant());
	}

	/** Revokes the brand's open invitation; whether there was one. */
	boolean revokeInvitation(String brandId, String invitationId) {
		return this.repository.revokeInvitation(brandId, invitationId);
	}

	/**
	 * Gives a user of the admin's brand another role; the brand keeps at least one admin.
	 * Their sessions have the new role from their next request on.
	 */
	Change changeRole(PortalPrincipal admin, String userId, PortalRole role) {
		return changeUsers(admin.brandId(), userId, (users, target) -> {
			if (target.role() == PortalRole.ADMIN && role != PortalRole.ADMIN && admins(users) == 1) {
				return new Change.Refused("The brand must keep at least one admin: make someone else admin first.");
			}
			this.repository.updateRole(admin.brandId(), userId, role);
			return new Change.Done();
		});
	}

	/**
	 * Removes a user of the admin's brand (not the admin themselves; not the brand's last
	 * admin). Their sessions end: their next request goes to the sign-in page.
	 */
	Change remove(PortalPrincipal admin, String userId) {
		if (admin.userId().equals(userId)) {
			return new Change.Refused("You cannot remove yourself; another admin can.");
		}
		return changeUsers(admin.brandId(), userId, (users, target) -> {
			if (target.role() == PortalRole.ADMIN && admins(users) == 1) {
				return new Change.Refused("The brand must keep at least one admin.");
			}
			this.repository.deleteUser(admin.brandId(), userId);
			return new Change.Done();
		});
	}

	private Change changeUsers(String brandId, String userId, UserChange change) {
		Change result = this.transactions.execute((status) -> {
			List<PortalUserRepository.UserRow> users = this.repository.lockUsers(brandId);
			return users.stream()
				.filter((user) -> user.id().equals(userId))
				.findFirst()
				.map((target) -> change.apply(users, target))
				.orElseGet(Change.NotFound::new);
		});
		return (result != null) ? result : new Change.NotFound();
	}

	private static long admins(List<PortalUserRepository.UserRow> users) {
		return users.stream().filter((user) -> user.role() == PortalRole.ADMIN).count();
	}

	private interface UserChange {

		Change apply(List<PortalUserRepository.UserRow> users, PortalUserRepository.UserRow target);

	}

	/**
	 * Turns two-factor sign-in off for a user of the admin's brand who lost their app
	 * (not for the admin themselves: a session alone must not be enough to turn it off).
	 */
	Change disableTwoFactor(PortalPrincipal admin, String userId) {
		if (admin.userId().equals(userId)) {
			return new Change.Refused("Turn your own two-factor sign-in off on Your account, with a code.");
		}
		if (this.repository.findById(userId).filter((user) -> user.brandId().equals(admin.brandId())).isEmpty()) {
			return new Change.NotFound();
		}
		this.repository.disableTotp(userId);
		return new Change.Done();
	}

	// ---- password resets

	/**
	 * A one-time password-reset link for a user of the brand, for an admin to hand over;
	 * also mailed to the user when mail is configured.
	 * @param baseUrl where this server is reached, without a trailing slash
	 * @return the link, or empty if the brand has no such user
	 */
	Optional<CreatedReset> issueReset(String brandId, String userId, String baseUrl) {
		Optional<PortalPrincipal> user = this.repository.findById(userId)
			.filter((found) -> found.brandId().equals(brandId));
		if (user.isEmpty()) {
			return Optional.empty();
		}
		CreatedReset reset = newReset(user.get(), baseUrl);
		boolean emailed = this.mail.available() && sendReset(user.get().email(), reset);
		return Optional.of(new CreatedReset(reset.url(), reset.expiresAt(), emailed));
	}

	/**
	 * "Forgot your password?": mails a one-time reset link to {@code rawEmail} if it is a
	 * user's, mail is configured and the address has not been sent too many lately. The
	 * caller answers the same whatever happens here, and the mail goes out in the
	 * background, so that neither the answer nor its timing tells whether the address has
	 * an account.
	 */
	void requestReset(@Nullable String rawEmail, String clientAddress, String baseUrl) {
		Optional<String> email = EmailAddresses.normalize(rawEmail);
		if (email.isEmpty() || !this.mail.available() || this.throttle.refusesResetMail(email.get(), clientAddress)) {
			return;
		}
		this.throttle.resetMailRequested(email.get(), clientAddress);
		// Even the look-up happens in the background: the answer takes as long for every
		// address.
		this.background.execute(() -> this.repository.findByEmail(email.get())
			.ifPresent((user) -> sendReset(user.email(), newReset(user, baseUrl))));
	}

	private CreatedReset newReset(PortalPrincipal user, String baseUrl) {
		String token = RandomTokens.base62(43);
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.properties.passwordResetValidity());
		this.repository.insertReset(this.ids.prefixed("prst_"), hash(token), user.userId(), now, expiresAt);
		return new CreatedReset(baseUrl + "/portal/password-reset/" + token, expiresAt, false);
	}

	private boolean sendReset(String email, CreatedReset reset) {
		try {
			this.mail.send(new OutgoingMail(email, "Reset your Resonance Partner Portal password",
					"Someone asked to reset the password of " + email + " in the Resonance Partner Portal.\n\n"
							+ "Choose a new password here (the link works once, until " + reset.expiresAt() + "):\n\n"
							+ reset.url()
							+ "\n\nIf it was not you, ignore this mail: your password stays as it is.\n"));
			return true;
		}
		catch (MailFailedException | IllegalArgumentException ex) {
			log.warn("Could not mail a portal password reset: {}", ex.getMessage());
			return false;
		}
	}

	/** The email of the user whose usable reset link this is, if it is one. */
	Optional<String> resetEmail(String token) {
		return this.repository.usableReset(hash(token), this.clock.instant())
			.flatMap(this.repository::findById)
			.map(PortalPrincipal::email);
	}

	/**
	 * Uses the reset link to set the user's password, which ends their sessions and uses
	 * up their other reset links.
	 * @return the user (to sign in), or why not
	 */
	Acceptance resetPassword(String token, @Nullable String password, @Nullable String confirmation) {
		String refusal = passwordRefusal(password, confirmation);
		if (refusal != null) {
			return new Acceptance.Refused(refusal);
		}
		String passwordHash = this.passwords.encode(password);
		Acceptance acceptance = this.transactions.execute((status) -> {
			Instant now = this.clock.instant();
			Optional<PortalPrincipal> user = this.repository.useReset(hash(token), now)
				.flatMap((userId) -> this.repository.setPassword(userId, passwordHash, now)
					.flatMap((version) -> this.repository.findById(userId)));
			return user.<Acceptance>map((found) -> new Acceptance.Accepted(found.withoutPassword()))
				.orElseGet(Acceptance.Invalid::new);
		});
		return (acceptance != null) ? acceptance : new Acceptance.Invalid();
	}

	/**
	 * Changes the signed-in user's password, given their current one (wrong ones count as
	 * failed sign-ins). Ends their other sessions.
	 * @return the user with their new session version, or why not
	 */
	Acceptance changePassword(PortalPrincipal user, @Nullable String current, @Nullable String password,
			@Nullable String confirmation, String clientAddress) {
		if (this.throttle.refuses(user.email(), clientAddress)) {
			return new Acceptance.Refused("Too many wrong passwords lately: wait "
					+ this.properties.signInFailureWindow().toMinutes() + " minutes, then try again.");
		}
		Optional<PortalPrincipal> stored = this.repository.findById(user.userId());
		if (stored.isEmpty()) {
			return new Acceptance.Invalid();
		}
		if (current == null || stored.get().getPassword() == null
				|| !this.passwords.matches(current, stored.get().getPassword())) {
			this.throttle.failed(user.email(), clientAddress);
			return new Acceptance.Refused("Your current password is not right.");
		}
		String refusal = passwordRefusal(password, confirmation);
		if (refusal != null) {
			return new Acceptance.Refused(refusal);
		}
		String passwordHash = this.passwords.encode(password);
		Optional<PortalPrincipal> changed = this.transactions
			.execute((status) -> this.repository.setPassword(user.userId(), passwordHash, this.clock.instant())
				.flatMap((version) -> this.repository.findById(user.userId())));
		return (changed != null && changed.isPresent()) ? new Acceptance.Accepted(changed.get().withoutPassword())
				: new Acceptance.Invalid();
	}

	private @Nullable String passwordRefusal(@Nullable String password, @Nullable String confirmation) {
		if (password == null || password.codePointCount(0, password.length()) < this.properties.minPasswordLength()) {
			return "Choose a password of at least " + this.properties.minPasswordLength() + " characters.";
		}
		if (password.length() > MAX_PASSWORD_LENGTH) {
			return "Choose a password of at most " + MAX_PASSWORD_LENGTH + " characters.";
		}
		if (!password.equals(confirmation)) {
			return "The two passwords do not match.";
		}
		return null;
	}

	@Override
	public void destroy() {
		this.background.close();
	}

	private static String oneLine(String text) {
		return text.replaceAll("\\p{Cntrl}", " ");
	}

	static String hash(String token) {
		return Hashing.hex(Hashing.sha256(token));
	}

	/**
	 * An invitation as the operator API answers it; {@code url} is shown only here.
	 */
	record CreatedInvitation(String invitationId, String brandId, String email, String role, Instant expiresAt,
			String url, boolean emailed) {
	}

	/**
	 * A password-reset link; {@code url} is shown only to whoever asked for it.
	 */
	record CreatedReset(String url, Instant expiresAt, boolean emailed) {
	}

	/** What an admin's change to a user came to. */
	sealed interface Change {

		record Done() implements Change {
		}

		/** No such user in the brand. */
		record NotFound() implements Change {
		}

		/** Not allowed as it would leave the brand (why is the reason). */
		record Refused(String reason) implements Change {
		}

	}

	/** What using an invitation (or a reset link, or changing a password) came to. */
	sealed interface Acceptance {

		record Accepted(PortalPrincipal user) implements Acceptance {
		}

		/** Used, expired or unknown. */
		record Invalid() implements Acceptance {
		}

		/** The password is not acceptable; the invitation is still usable. */
		record Refused(String reason) implements Acceptance {
		}

	}

}
