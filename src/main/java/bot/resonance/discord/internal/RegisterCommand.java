package bot.resonance.discord.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.identity.Identity;
import bot.resonance.identity.Members;
import bot.resonance.identity.Person;
import bot.resonance.network.LinkConfirmations;
import bot.resonance.platform.mail.Mail;
import bot.resonance.platform.mail.MailFailedException;
import bot.resonance.platform.web.ApiException;
import org.springframework.stereotype.Component;

/**
 * {@code /register}: makes the user a member of the server's brand (using any command
 * does too) and, in DMs, tells them which brand their DMs go to. With {@code email:} it
 * links that email to the member once they prove they read it: a one-time code goes to
 * the address, and the button on the answer opens a form to enter it
 * ({@code register:code:<confirmation>}). The email is then the member's at the brand,
 * and the person who held it elsewhere is the member's person: one wallet, as when a
 * brand links an email its holder confirms.
 */
@Component
class RegisterCommand implements SlashCommand {

	private static final Map<String, Object> EMAIL;

	static {
		EMAIL = CommandSpec.option(CommandSpec.STRING, "email", "Link your email too (you confirm it with a code)",
				false);
		EMAIL.put("max_length", 254);
	}

	// Links run their own transactions: a wrong code must count even though it refuses.
	private static final CommandSpec SPEC = CommandSpec
		.forMembers("register", "Join this server's rewards and see your Resonance wallet", List.of(EMAIL))
		.withoutTransaction();

	private static final Pattern CONFIRMATION = Pattern.compile("lcf_[0-9A-Za-z]{1,64}");

	private static final Pattern CODE = Pattern.compile("[0-9]{6}");

	private final Members members;

	private final LinkConfirmations confirmations;

	private final Mail mail;

	RegisterCommand(Members members, LinkConfirmations confirmations, Mail mail) {
		this.members = members;
		this.confirmations = confirmations;
		this.mail = mail;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		String email = call.text("email").orElse(null);
		if (email == null) {
			Person person = this.members.person(call.member().personId()).orElseThrow();
			return Answer.ephemeral("You are registered with " + call.brand().name() + ". Your Resonance wallet: `"
					+ person.address() + "`.");
		}
		if (email.length() > 254 || !email.contains("@")) {
			return Answer.ephemeral("`" + Ui.clip(email, 60) + "` is not an email address. Try again with one like "
					+ "/register email:name@example.com.");
		}
		if (!this.mail.available()) {
			return Answer.ephemeral("Email is not set up on this Resonance, so your email cannot be confirmed and "
					+ "linked. You are registered with " + call.brand().name() + " all the same; ask the brand "
					+ "about email.");
		}
		Identity member = Identity.discord(call.brand().brandId(), call.userId()).orElseThrow();
		return new Answer.Deferred(true, () -> requestProof(call, member, email));
	}

	private Answer.Message requestProof(CommandCall call, Identity member, String email) {
		LinkConfirmations.PendingLink pending;
		try {
			pending = this.confirmations.requestEmailProof(call.brand(), member, email);
		}
		catch (MailFailedException ex) {
			return Answer.ephemeral("The email to " + Ui.clip(email, 100) + " could not be sent, so nothing was "
					+ "linked. Check the address and try again later.");
		}
		catch (ApiException refused) {
			return Answer.ephemeral(switch (refused.code()) {
				case "invalid_request" -> "That is not an email address: " + refused.getMessage()
						+ " Try again with /register email:name@example.com.";
				case "identity_already_linked" -> "That email is linked to you already: nothing to do.";
				case "too_many_confirmations" ->
					refused.getMessage() + " Enter a code you received, or try again later.";
				case "mail_unavailable" -> "Email is not set up on this Resonance, so your email cannot be confirmed.";
				default -> refused.getMessage();
			});
		}
		return Answer.ephemeral(
				"We sent a 6-digit code to " + pending.sentTo() + ". Press the button and enter it to link that email "
						+ "to you at " + call.brand().name() + "; it works until "
						+ WalletCommand.relative(pending.expiresAt())
						+ ". Linking joins the Resonance wallet of that email with yours.",
				List.of(),
				List.of(Ui.row(List.of(Ui.button("Enter the code", "register:code:" + pending.id(), Ui.PRIMARY)))));
	}

	/** The button on the answer: a form to type the code in. */
	@Override
	public Answer component(CommandCall call, List<String> arguments) {
		if (arguments.size() == 2 && arguments.get(0).equals("code")
				&& CONFIRMATION.matcher(arguments.get(1)).matches()) {
			return new Answer.Modal("register:code:" + arguments.get(1), "Confirm your email",
					List.of(Ui.textInput("code", "The 6-digit code from the email", null, true, 6)));
		}
		return SlashCommand.super.component(call, arguments);
	}

	/** The form: the code confirms the link, and links. */
	@Override
	public Answer modal(CommandCall call, List<String> arguments) {
		if (arguments.size() != 2 || !arguments.get(0).equals("code")
				|| !CONFIRMATION.matcher(arguments.get(1)).matches()) {
			return SlashCommand.super.modal(call, arguments);
		}
		String code = call.field("code").map(String::strip).orElse("");
		if (!CODE.matcher(code).matches()) {
			return Answer.ephemeral("The code is the 6 digits from the email. Press the button and enter it again.");
		}
		Identity member = Identity.discord(call.brand().brandId(), call.userId()).orElseThrow();
		try {
			Members.Linked linked = this.confirmations.confirm(call.brand(), member, arguments.get(1), code);
			Person person = this.members.person(linked.member().personId()).orElseThrow();
			return Answer.ephemeral("Confirmed: the email is linked to you at " + call.brand().name()
					+ ". Your Resonance wallet: `" + person.address() + "`.");
		}
		catch (Members.ConcurrentMerge busy) {
			return Answer.ephemeral(busy.getMessage());
		}
		catch (ApiException refused) {
			return Answer.ephemeral(switch (refused.code()) {
				case "confirmation_code_invalid" -> LinkConfirmations.LAST_WRONG_CODE.equals(refused.getMessage())
						? "Wrong code, and that was the last attempt: this one no longer works. Run /register email:… "
								+ "again for a new one."
						: refused.getMessage() + " Press the button to try again.";
				case "confirmation_not_found" -> "This code request is not yours, or does not exist.";
				case "confirmation_used" -> "This email is confirmed already.";
				case "confirmation_declined" -> "This link was declined: nothing was linked.";
				case "confirmation_expired" -> "This code expired. Run /register email:… again for a new one.";
				case "confirmation_locked" ->
					"Too many wrong codes: this one no longer works. Run /register email:… again for a new one.";
				default -> refused.getMessage();
			});
		}
	}

}
