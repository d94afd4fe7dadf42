package bot.resonance.network;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.identity.Person;
import bot.resonance.identity.UserIdentifier;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferContext;
import bot.resonance.ledger.TransferOutcome;
import bot.resonance.ledger.TransferRequest;
import bot.resonance.network.internal.NetworkRepository;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.platform.mail.Mail;
import bot.resonance.platform.mail.OutgoingMail;
import bot.resonance.platform.web.ApiException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spending RSNC at a brand. The person proves it is them: they issue a short-lived,
 * single-use redemption code themselves (from Discord, or received by email) and hand it
 * to the brand, which redeems it for up to the code's amount; or they spend it through
 * the brand's Discord commands and shop when they are the one invoking. Nothing else
 * takes RSNC from a person.
 */
@Service
public class Redemptions {

	/** Crockford's base32 without I, L, O, U: nothing to misread when typed. */
	private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

	private static final String PREFIX = "RSNC-";

	private final SecureRandom random = new SecureRandom();

	private final NetworkRepository repository;

	private final Members members;

	private final Ledger ledger;

	private final NetworkCurrency network;

	private final Mail mail;

	private final IdGenerator ids;

	private final NetworkProperties properties;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Redemptions(NetworkRepository repository, Members members, Ledger ledger, NetworkCurrency network, Mail mail,
			IdGenerator ids, NetworkProperties properties, ApplicationEventPublisher events, Clock clock) {
		this.repository = repository;
		this.members = members;
		this.ledger = ledger;
		this.network = network;
		this.mail = mail;
		this.ids = ids;
		this.properties = properties;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Issues a redemption code for a person: shown to them once (Discord's
	 * {@code /wallet code}, an email), kept only as its hash.
	 * @param maxAmount the most a brand may redeem with it, or {@code null} for the
	 * person's balance
	 * @param via how it reaches the person ({@code discord}, {@code email})
	 */
	@Transactional
	public IssuedCode issueCode(long personId, @Nullable Long maxAmount, String via) {
		Instant now = this.clock.instant();
		long person = this.members.holdPerson(personId);
		if (this.repository.liveCodes(person, now) >= this.properties.maxLiveRedemptionCodes()) {
			throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too_many_codes",
					"This person already has " + this.properties.maxLiveRedemptionCodes()
							+ " unused redemption codes; use one or wait for them to expire.");
		}
		StringBuilder code = new StringBuilder(PREFIX);
		for (int i = 0; i < 12; i++) {
			if (i > 0 && i % 4 == 0) {
				code.append('-');
			}
			code.append(ALPHABET.charAt(this.random.nextInt(ALPHABET.length())));
		}
		Instant expiresAt = now.plus(this.properties.redemptionCodeTtl());
		this.repository.insertCode(hash(code.toString()), person, maxAmount, via, now, expiresAt);
		return new IssuedCode(code.toString(), maxAmount, expiresAt);
	}

	/**
	 * Emails the member a redemption code, to the email the brand linked to them: the
	 * person reads it and gives it back to the brand to spend RSNC there.
	 */
	@Transactional
	public EmailedCode emailCode(Brand brand, Member member, @Nullable Long maxAmount) {
		String email = this.members.identities(brand.brandId(), List.of(member.id()))
			.getOrDefault(member.id(), List.of())
			.stream()
			.filter((identity) -> identity.kind() == IdentityKind.EMAIL)
			.map(Identity::value)
			.findFirst()
			.orElseThrow(() -> ApiException.conflict("no_email",
					"This member has no email linked at this brand to send a code to. Link one "
							+ "(POST /v1/members/{member}/identities), or let them issue a code from Discord."));
		if (!this.mail.available()) {
			throw ApiException.conflict("email_unavailable",
					"Email is not configured on this Resonance (spring.mail.host): no code can be emailed.");
		}
		IssuedCode code = issueCode(member.personId(), maxAmount, "email");
		this.mail.send(new OutgoingMail(email, "Your RSNC redemption code for " + brand.name(),
				"""
						%s asked for a code to spend RSNC from your Resonance wallet.

						Your redemption code: %s
						%s
						It works once and expires at %s (UTC). Give it only to %s, and only if you
						want to spend RSNC there. If you did not ask for it, ignore this email: nothing
						happens without the code.
						""".formatted(brand.name(), code.code(),
						(maxAmount != null) ? "It allows at most " + maxAmount + " RSNC.\n" : "", code.expiresAt(),
						brand.name())));
		return new EmailedCode(mask(email), code.maxAmount(), code.expiresAt());
	}

	/**
	 * Redeems RSNC with a person's code: moves {@code amount} from the person's network
	 * balance to the brand's RSNC wallet, once.
	 */
	@Transactional
	public Redemption redeem(Brand brand, String code, long amount, @Nullable String reference) {
		byte[] hash = hash(normalise(code));
		NetworkRepository.StoredCode stored = this.repository.lockCode(hash)
			.orElseThrow(() -> ApiException.unprocessable("redemption_code_invalid",
					"This redemption code does not exist. Ask the person for a new one."));
		Instant now = this.clock.instant();
		if (stored.used()) {
			throw ApiException.conflict("redemption_code_used",
					"This redemption code was used already; a code works once.");
		}
		if (!now.isBefore(stored.expiresAt())) {
			throw ApiException.unprocessable("redemption_code_expired",
					"This redemption code expired at " + stored.expiresAt() + ". Ask the person for a new one.");
		}
		if (stored.maxAmount() != null && amount > stored.maxAmount()) {
			throw ApiException.unprocessable("amount_exceeds_code",
					"This code allows at most " + stored.maxAmount() + " RSNC; " + amount + " was asked.");
		}
		Redemption redemption = move(brand, stored.personId(), amount, reference, now);
		this.repository.useCode(hash, brand.brandId(), redemption.id(), now);
		return redemption;
	}

	/**
	 * Redeems RSNC for a person who is acting themselves at the brand (its Discord
	 * commands or shop, invoked by them).
	 */
	@Transactional
	public Redemption redeemByPerson(Brand brand, long personId, long amount, @Nullable String reference) {
		return move(brand, personId, amount, reference, this.clock.instant());
	}

	private Redemption move(Brand brand, long personId, long amount, @Nullable String reference, Instant now) {
		if (amount <= 0) {
			throw ApiException.invalidRequest("amount must be a positive whole number of RSNC.");
		}
		long person = this.members.holdPerson(personId);
		Member member = this.members.membership(brand.brandId(), person);
		List<Identity> identities = this.members.identities(brand.brandId(), List.of(member.id()))
			.getOrDefault(member.id(), List.of());
		String userId = identities.stream()
			.filter((identity) -> identity.kind() == IdentityKind.DISCORD)
			.map(Identity::value)
			.findFirst()
			.orElse(null);
		String id = this.ids.prefixed("rdm_");
		TransferOutcome outcome = this.ledger.transfer(TransferRequest
			.of(TransferCode.REDEMPTION, id, NetworkCurrency.person(person), this.network.brandWallet(brand.brandId()),
					amount)
			.withReference((reference != null) ? reference : id)
			.about(new TransferContext((userId != null) ? userId : "", null, "REDEMPTION")));
		long transferId;
		long balance;
		switch (outcome) {
			case TransferOutcome.Posted posted -> {
				transferId = posted.transfer().id();
				balance = posted.transfer().debitBalanceAfter();
			}
			case TransferOutcome.InsufficientFunds insufficient -> throw ApiException
				.unprocessable("insufficient_balance", "The person's RSNC balance is " + insufficient.available() + "; "
						+ amount + " was asked. Nothing was taken and the code still works.");
			case TransferOutcome.OutOfRange outOfRange -> throw ApiException.unprocessable("amount_out_of_range",
					"This amount would take the brand's RSNC wallet beyond the largest amount it can hold.");
			default -> throw new IllegalStateException("Redemption " + id + " was refused: " + outcome);
		}
		Person found = this.members.person(person).orElseThrow();
		this.repository.insertRedemption(brand.brandId(), id, person, member.id(), amount, reference, transferId, now);
		Redemption redemption = new Redemption(id, brand.brandId(), "mem_" + member.id(), found.address(), amount,
				balance, reference, transferId, now);
		UserIdentifier identifier = UserIdentifier.of(identities, found);
		this.events.publishEvent(new RsncRedeemed(redemption, userId, identifier.value(), identifier.type()));
		return redemption;
	}

	/** A code as typed: case, spaces, dashes and the RSNC- prefix do not matter. */
	static String normalise(String code) {
		String compact = code.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
		if (compact.startsWith("RSNC")) {
			compact = compact.substring(4);
		}
		if (compact.length() != 12) {
			return compact;
		}
		return PREFIX + compact.substring(0, 4) + "-" + compact.substring(4, 8) + "-" + compact.substring(8);
	}

	private static byte[] hash(String code) {
		return Hashing.sha256("resonance:redemption-code:" + code);
	}

	/** {@code j***@example.com}: enough to recognise, not to harvest. */
	static String mask(String email) {
		int at = email.indexOf('@');
		return (at <= 1) ? "***" + email.substring(Math.max(at, 0)) : email.charAt(0) + "***" + email.substring(at);
	}

	/**
	 * A code issued to a person, shown to them once.
	 *
	 * @param code {@code RSNC-XXXX-XXXX-XXXX}
	 * @param maxAmount the most it redeems, or {@code null} for the balance
	 * @param expiresAt when it stops working
	 */
	public record IssuedCode(String code, @Nullable Long maxAmount, Instant expiresAt) {
	}

	/**
	 * A code emailed to a member.
	 *
	 * @param sentTo the address, masked
	 */
	public record EmailedCode(String sentTo, @Nullable Long maxAmount, Instant expiresAt) {
	}

}
