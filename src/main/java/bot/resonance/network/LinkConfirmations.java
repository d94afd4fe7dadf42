package bot.resonance.network;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.identity.Identities;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityHeldElsewhere;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.InvalidIdentityException;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.network.internal.NetworkRepository;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.platform.mail.Mail;
import bot.resonance.platform.mail.MailUnavailableException;
import bot.resonance.platform.mail.OutgoingMail;
import bot.resonance.platform.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links that need the confirmation of the person who holds the identity. A brand's word
 * alone links an identity nobody else holds; an identity of another person — one that
 * other brands know, or that holds RSNC — is linked (merging the two people, RSNC and
 * all) only when that person confirms: they receive a one-time code at their email and
 * the brand sends it back, or they confirm from Discord.
 */
@Service
public class LinkConfirmations {

	/** The answer to the last wrong code a confirmation allows. */
	public static final String LAST_WRONG_CODE = "Wrong code, and that was the last attempt: this confirmation is "
			+ "void. Link the identity again for a new code.";

	private final SecureRandom random = new SecureRandom();

	private final NetworkRepository repository;

	private final Members members;

	private final Identities identities;

	private final Mail mail;

	private final IdGenerator ids;

	private final NetworkProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	LinkConfirmations(NetworkRepository repository, Members members, Identities identities, Mail mail, IdGenerator ids,
			NetworkProperties properties, TransactionTemplate transactions, Clock clock) {
		this.repository = repository;
		this.members = members;
		this.identities = identities;
		this.mail = mail;
		this.ids = ids;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Starts the confirmation of a refused link: a one-time code goes to the email of the
	 * person who holds the identity (the identity itself, if it is an email). Without
	 * email, a holder with a Discord account confirms there ({@code /wallet links}).
	 * @throws ApiException {@code 409 confirmation_unavailable} if neither can reach them
	 */
	public PendingLink request(Brand brand, IdentityHeldElsewhere refused) {
		Identity added = refused.added();
		String email = (added.kind() == IdentityKind.EMAIL) ? added.value()
				: this.members.emailsOf(refused.holder()).stream().findFirst().orElse(null);
		boolean discord = !this.members.discordIdsOf(refused.holder()).isEmpty();
		String id = this.ids.prefixed("lcf_");
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.properties.linkConfirmationTtl());
		Identity member = refused.member();
		if (email == null || !this.mail.available()) {
			if (discord) {
				// The holder confirms from Discord (/wallet links): the interaction is
				// the
				// proof, there is no code.
				this.repository.insertConfirmation(brand.brandId(), id, member.kind().wireName(), member.value(),
						added.kind().wireName(), added.value(), refused.holder(), "discord", null, now, expiresAt);
				return new PendingLink(id, "discord", null, expiresAt);
			}
			throw ApiException.conflict("confirmation_unavailable",
					refused.getMessage() + ((email == null)
							? " Resonance has no email address or Discord account to ask them."
							: " The confirmation is a code sent by email, and email is not configured on this Resonance"
									+ " (spring.mail.host)."));
		}
		String code = String.format("%06d", this.random.nextInt(1_000_000));
		this.repository.insertConfirmation(brand.brandId(), id, member.kind().wireName(), member.value(),
				added.kind().wireName(), added.value(), refused.holder(), "email", hash(id, code), now, expiresAt);
		this.mail.send(new OutgoingMail(email, brand.name() + " asks to link your account", """
				%s asks to link %s to your account there.

				If this is you, give them this code: %s
				It expires at %s (UTC).

				Linking joins your Resonance wallet with the account at %s: your RSNC and
				rewards are kept together from then on. If you did not ask for this, ignore this
				email and nothing changes.
				""".formatted(brand.name(), describe(added), code, expiresAt, brand.name())));
		// The brand learns where the code went only if it named that address itself.
		String sentTo = (added.kind() == IdentityKind.EMAIL) ? Redemptions.mask(email) : null;
		return new PendingLink(id, "email", sentTo, expiresAt);
	}

	/**
	 * The member asks to link an email to themselves (Discord's {@code /register
	 * email:}): a one-time code goes to that address, and {@link #confirm} with it links
	 * the email to the member — whoever held it is the member's person from then on, as
	 * when a brand links an email its holder confirms. Nothing is linked on the member's
	 * word alone: only the code proves they read that mailbox.
	 * @param member an identity of the member (their Discord account)
	 * @param email the address, as typed
	 * @throws ApiException {@code 400 invalid_request} if {@code email} is not an email
	 * address, {@code 409 identity_already_linked} if it is the member's already,
	 * {@code 429 too_many_confirmations} if the member waits on
	 * {@code max-open-email-proofs} codes, {@code 503 mail_unavailable} without an SMTP
	 * server, {@code 502 mail_failed} if the SMTP server refused the mail
	 */
	public PendingLink requestEmailProof(Brand brand, Identity member, String email) {
		Identity added;
		try {
			added = this.identities.parse(brand.brandId(), IdentityKind.EMAIL, email);
		}
		catch (InvalidIdentityException ex) {
			throw ApiException.invalidRequest(ex.getMessage());
		}
		if (added.kind() != IdentityKind.EMAIL) {
			throw ApiException.invalidRequest("'" + email.strip() + "' is Resonance's alias of a "
					+ added.kind().wireName() + " account, not a mailbox: give an email address you read.");
		}
		if (!this.mail.available()) {
			throw unavailable();
		}
		Member found = this.members.find(member)
			.orElseThrow(() -> new IllegalArgumentException("No member " + member.value() + " in " + brand.brandId()));
		if (this.members.find(added).map((m) -> m.id() == found.id()).orElse(false)) {
			throw ApiException.conflict("identity_already_linked", added.value() + " is linked to you already.");
		}
		Instant now = this.clock.instant();
		if (this.repository.openConfirmations(brand.brandId(), member.kind().wireName(), member.value(), "email_proof",
				now, this.properties.linkConfirmationAttempts()) >= this.properties.maxOpenEmailProofs()) {
			throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too_many_confirmations",
					"You are waiting on " + this.properties.maxOpenEmailProofs()
							+ " email codes already: use one, or wait for them to expire.");
		}
		// The person holding the email now, if anyone: the one whose account it joins.
		long holder = this.members.holderOf(added).orElse(this.members.currentPerson(found.personId()));
		String id = this.ids.prefixed("lcf_");
		Instant expiresAt = now.plus(this.properties.linkConfirmationTtl());
		String code = String.format("%06d", this.random.nextInt(1_000_000));
		this.repository.insertConfirmation(brand.brandId(), id, member.kind().wireName(), member.value(),
				added.kind().wireName(), added.value(), holder, "email_proof", hash(id, code), now, expiresAt);
		this.mail.send(new OutgoingMail(added.value(), "Your code for " + brand.name(), """
				Someone, hopefully you, asked to add this email address to their account at %s.

				If this is you, enter this code where you asked: %s
				It expires at %s (UTC).

				Adding it joins the Resonance wallet of this address with that account: RSNC and
				rewards are kept together from then on. If you did not ask for this, ignore this
				email and nothing changes.
				""".formatted(brand.name(), code, expiresAt)));
		return new PendingLink(id, "email", Redemptions.mask(added.value()), expiresAt);
	}

	private static ApiException unavailable() {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, MailUnavailableException.CODE,
				"Email is not configured on this Resonance server (spring.mail.host).");
	}

	/**
	 * Confirms a link with the code the person received, and links: the person who held
	 * the identity is merged into the member's. A wrong code counts against the
	 * confirmation's attempts.
	 * @param member an identity of the member the link was asked for
	 */
	public Members.Linked confirm(Brand brand, Identity member, String confirmationId, String code) {
		Outcome outcome = this.transactions.execute((status) -> {
			NetworkRepository.StoredConfirmation stored = this.repository
				.lockConfirmation(brand.brandId(), confirmationId)
				.filter((c) -> c.memberKind().equals(member.kind().wireName())
						&& c.memberValue().equals(member.value()))
				.orElse(null);
			if (stored == null) {
				return new Outcome(null, ApiException.notFound("confirmation_not_found",
						"No confirmation " + confirmationId + " for this member."));
			}
			if (stored.declined()) {
				return new Outcome(null,
						ApiException.conflict("confirmation_declined", "The person declined this link."));
			}
			if (stored.confirmed()) {
				return new Outcome(null,
						ApiException.conflict("confirmation_used", "This confirmation was used already."));
			}
			if (!this.clock.instant().isBefore(stored.expiresAt())) {
				return new Outcome(null,
						ApiException.unprocessable("confirmation_expired", "This confirmation expired at "
								+ stored.expiresAt() + ". Link the identity again for a new code."));
			}
			if (stored.attempts() >= this.properties.linkConfirmationAttempts()) {
				return new Outcome(null, ApiException.unprocessable("confirmation_locked",
						"Too many wrong codes: this confirmation is void. Link the identity again for a new code."));
			}
			if (stored.codeHash() == null
					|| !java.security.MessageDigest.isEqual(stored.codeHash(), hash(confirmationId, code.strip()))) {
				this.repository.failedAttempt(brand.brandId(), confirmationId);
				int left = this.properties.linkConfirmationAttempts() - stored.attempts() - 1;
				return new Outcome(null, ApiException.unprocessable("confirmation_code_invalid", (left > 0)
						? "Wrong code; " + left + " attempt" + ((left == 1) ? "" : "s") + " left." : LAST_WRONG_CODE));
			}
			IdentityKind addedKind = IdentityKind.fromWireName(stored.addedKind()).orElseThrow();
			Identity added = new Identity(brand.brandId(), addedKind, stored.addedValue());
			long holder = this.members.holderOf(added).orElse(stored.holder());
			if (holder != stored.holder() && addedKind != IdentityKind.EMAIL) {
				// The code went to the person who held it then; someone else holds it
				// now.
				return new Outcome(null, ApiException.conflict("confirmation_stale",
						"The identity changed hands since the code was sent. Link it again for a new code."));
			}
			this.repository.confirmed(brand.brandId(), confirmationId, this.clock.instant());
			return new Outcome(this.members.linkConfirmed(member, added), null);
		});
		if (outcome.refusal() != null) {
			throw outcome.refusal();
		}
		return outcome.linked();
	}

	/**
	 * The links waiting for this person's confirmation, at any brand, newest first: what
	 * the bot shows them ({@code /wallet links}).
	 */
	public java.util.List<WaitingLink> waitingFor(long personId) {
		return this.repository.waitingFor(personId, this.clock.instant())
			.stream()
			.map((w) -> new WaitingLink(w.brandId(), w.id(),
					describe(new Identity(w.brandId(), IdentityKind.fromWireName(w.addedKind()).orElseThrow(),
							w.addedValue())),
					w.expiresAt()))
			.toList();
	}

	/**
	 * The holder confirms a link themselves (a Discord interaction by them): the link is
	 * made if they hold the identity now and the confirmation is still open.
	 * @return the link made, or empty if there is nothing to confirm (expired, used,
	 * declined, or not theirs)
	 */
	public java.util.Optional<Members.Linked> confirmByHolder(String brandId, String confirmationId, long personId) {
		return java.util.Optional.ofNullable(this.transactions.execute((status) -> {
			NetworkRepository.StoredConfirmation stored = this.repository.lockConfirmation(brandId, confirmationId)
				.orElse(null);
			if (stored == null || !open(stored)) {
				return null;
			}
			IdentityKind addedKind = IdentityKind.fromWireName(stored.addedKind()).orElseThrow();
			Identity added = new Identity(brandId, addedKind, stored.addedValue());
			long holder = this.members.currentPerson(personId);
			if (this.members.holderOf(added).orElse(-1L) != holder) {
				return null;
			}
			IdentityKind memberKind = IdentityKind.fromWireName(stored.memberKind()).orElseThrow();
			this.repository.confirmed(brandId, confirmationId, this.clock.instant());
			return this.members.linkConfirmed(new Identity(brandId, memberKind, stored.memberValue()), added);
		}));
	}

	/** The holder declines: the confirmation is closed, nothing is linked. */
	public boolean declineByHolder(String brandId, String confirmationId, long personId) {
		return Boolean.TRUE.equals(this.transactions.execute((status) -> {
			NetworkRepository.StoredConfirmation stored = this.repository.lockConfirmation(brandId, confirmationId)
				.orElse(null);
			if (stored == null || !open(stored)) {
				return false;
			}
			long holder = this.members.currentPerson(personId);
			if (this.members
				.holderOf(new Identity(brandId, IdentityKind.fromWireName(stored.addedKind()).orElseThrow(),
						stored.addedValue()))
				.orElse(-1L) != holder) {
				return false;
			}
			this.repository.declined(brandId, confirmationId, this.clock.instant());
			return true;
		}));
	}

	private boolean open(NetworkRepository.StoredConfirmation stored) {
		return !stored.confirmed() && !stored.declined() && this.clock.instant().isBefore(stored.expiresAt());
	}

	/**
	 * A link waiting for the person's confirmation.
	 *
	 * @param brandId the brand that asked
	 * @param id the confirmation
	 * @param what the identity, described for the person
	 * @param expiresAt when it closes
	 */
	public record WaitingLink(String brandId, String id, String what, Instant expiresAt) {
	}

	private static String describe(Identity identity) {
		return switch (identity.kind()) {
			case EMAIL -> "the email " + identity.value();
			case DISCORD -> "the Discord account " + identity.value();
			default -> "the " + identity.kind().wireName().replace('_', ' ') + " " + identity.value();
		};
	}

	private static byte[] hash(String id, String code) {
		return Hashing.sha256("resonance:link-confirmation:" + id + ":" + code);
	}

	private record Outcome(Members.@Nullable Linked linked, @Nullable ApiException refusal) {
	}

	/**
	 * A link waiting for the holder's confirmation.
	 *
	 * @param id {@code lcf_…}, to send back with the code
	 * @param method how the person was asked ({@code email})
	 * @param sentTo the masked address, when the brand named it itself
	 * @param expiresAt when the code stops working
	 */
	public record PendingLink(String id, String method, @Nullable String sentTo, Instant expiresAt) {
	}

}
