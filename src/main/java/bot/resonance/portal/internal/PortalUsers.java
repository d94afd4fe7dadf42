package bot.resonance.portal.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

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
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Portal users and their invitations: an invitation is a one-time link for one email
 * address and role in one brand; using it (choosing a password) creates the user. Tokens
 * are kept only as their hash.
 */
@Service
class PortalUsers {

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

	PortalUsers(PortalUserRepository repository, Brands brands, Mail mail, PasswordEncoder portalPasswordEncoder,
			PortalProperties properties, TransactionTemplate transactions, IdGenerator ids, Clock clock) {
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

	/** What using an invitation came to. */
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
