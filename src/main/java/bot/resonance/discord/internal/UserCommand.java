package bot.resonance.discord.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import bot.resonance.brands.Brand;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.rewards.MemberRewards;
import org.springframework.stereotype.Component;

/**
 * {@code /user status user:@x} (admins): a member's balance in the brand's default
 * currency, whether they may earn, and today's rewards per event type, with a button to
 * disable or enable them. The button sets the status as {@code PATCH
 * /v1/members/{member}} does ({@link Members#setStatus}), so a disabled member's events
 * are refused with {@code USER_DISABLED} from then on. Someone who is not a member is
 * told so, not made one.
 */
@Component
class UserCommand implements SlashCommand {

	private static final CommandSpec SPEC = CommandSpec.forAdmins("user", "Look after this server's members",
			List.of(CommandSpec.subcommand("status", "A member's balance, status and today's rewards, to disable them",
					List.of(CommandSpec.option(CommandSpec.USER, "user", "The member", true)))));

	private final Members members;

	private final Ledger ledger;

	private final MemberRewards rewards;

	private final Clock clock;

	UserCommand(Members members, Ledger ledger, MemberRewards rewards, Clock clock) {
		this.members = members;
		this.ledger = ledger;
		this.rewards = rewards;
		this.clock = clock;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		String sub = call.subcommand().orElse("status");
		if (!sub.equals("status")) {
			return Answer.ephemeral("Unknown command /user " + Ui.clip(sub, 32) + ". Try /user status.");
		}
		Brand brand = call.brand();
		Optional<Identity> identity = call.text("user").flatMap((user) -> Identity.discord(brand.brandId(), user));
		if (identity.isEmpty()) {
			return Answer.ephemeral("Choose the member in the user option: /user status user:@someone.");
		}
		String user = identity.get().value();
		return this.members.find(identity.get())
			.<Answer>map((member) -> status(brand, member, user))
			.orElseGet(() -> notAMember(brand, "<@" + user + ">"));
	}

	@Override
	public Answer component(CommandCall call, List<String> arguments) {
		if (arguments.size() != 2 || !(arguments.get(0).equals("disable") || arguments.get(0).equals("enable"))) {
			return SlashCommand.super.component(call, arguments);
		}
		Brand brand = call.brand();
		MemberStatus status = arguments.get(0).equals("disable") ? MemberStatus.DISABLED : MemberStatus.ACTIVE;
		Optional<Long> memberId = memberId(arguments.get(1));
		// The brand's own members only: the lookup is scoped to the brand, so an id of
		// another brand's member finds nobody. A member merged into another since the
		// message was shown has no identities left.
		List<Identity> identities = memberId
			.map((id) -> this.members.identities(brand.brandId(), List.of(id)).getOrDefault(id, List.of()))
			.orElse(List.of());
		if (identities.isEmpty()) {
			return notAMember(brand, "This user");
		}
		Identity identity = identities.stream()
			.filter((i) -> i.kind() == IdentityKind.DISCORD)
			.findFirst()
			.orElse(identities.get(0));
		Member member = this.members.setStatus(identity, status);
		String user = (identity.kind() == IdentityKind.DISCORD) ? identity.value() : null;
		return new Answer.Update(status(brand, member, user));
	}

	private Answer.Message status(Brand brand, Member member, @org.jspecify.annotations.Nullable String user) {
		String currency = brand.defaultCurrency();
		AccountKey account = NetworkCurrency.holder(brand.brandId(), currency, member.id(), member.personId());
		long balance = this.ledger.balances(List.of(account)).getOrDefault(account, 0L);
		List<MemberRewards.TypeToday> today = this.rewards.today(brand.brandId(), member.id(), this.clock.instant());
		StringBuilder counts = new StringBuilder();
		for (MemberRewards.TypeToday type : today) {
			if (type.rewarded() == 0 && type.cooldownEndsAt() == null) {
				continue;
			}
			counts.append(type.eventType()).append(": ").append(type.rewarded());
			if (type.dailyLimit() != null) {
				counts.append(" of ").append(type.dailyLimit());
			}
			if (type.cooldownEndsAt() != null) {
				counts.append(", cooldown ends <t:").append(type.cooldownEndsAt().getEpochSecond()).append(":R>");
			}
			counts.append('\n');
		}
		boolean active = member.isActive();
		String who = ((user != null) ? "<@" + user + ">" : "This member") + " · mem_" + member.id();
		String next = active ? "Disable stops their rewards: their events are refused with USER_DISABLED."
				: "Their events are refused with USER_DISABLED until they are enabled.";
		Map<String, Object> embed = Ui.embed(brand, "Member status", who + "\n" + next,
				List.of(Ui.field("Balance", balance + " " + currency),
						Ui.field("Status", active ? "Active" : "Disabled"), Ui.field("Today (UTC)",
								counts.isEmpty() ? "No rewards yet today." : counts.toString().strip(), false)));
		Map<String, Object> button = active ? Ui.button("Disable", "user:disable:" + member.id(), Ui.DANGER)
				: Ui.button("Enable", "user:enable:" + member.id(), Ui.SUCCESS);
		return Answer.ephemeral("", List.of(embed), List.of(Ui.row(List.of(button))));
	}

	private static Answer.Message notAMember(Brand brand, String who) {
		return Answer.ephemeral(who + " is not a member of " + brand.name()
				+ " yet: they become one with their first reward or when they use the bot here.");
	}

	private static Optional<Long> memberId(String text) {
		if (!text.matches("[0-9]{1,18}")) {
			return Optional.empty();
		}
		return Optional.of(Long.parseLong(text));
	}

}
