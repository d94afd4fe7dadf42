package bot.resonance.portal.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import bot.resonance.analytics.Analytics;
import bot.resonance.brands.Brand;
import bot.resonance.brands.Wallet;
import org.springframework.stereotype.Component;

/**
 * How long the brand wallet lasts at the rate it is spent: per currency, the amounts
 * awarded over the last 7 and 30 UTC days (today included) as {@link Analytics#summary}
 * counts them ({@code GET /v1/analytics/summary}), their daily averages, and the days the
 * balance ({@link Wallet#balances}, {@code GET /v1/wallet}) lasts at the 7-day average.
 * Arithmetic on the services' numbers only: no figure of its own.
 */
@Component
class Runway {

	static final int SHORT_DAYS = 7;

	static final int LONG_DAYS = 30;

	private final Analytics analytics;

	private final Clock clock;

	Runway(Analytics analytics, Clock clock) {
		this.analytics = analytics;
		this.clock = clock;
	}

	/**
	 * The runway of every currency the wallet holds or the brand spent in the last 30
	 * days, the default currency first.
	 */
	List<Line> of(Brand brand, Wallet.WalletView wallet) {
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		Analytics.Summary summary = this.analytics.summary(brand, today.minusDays(LONG_DAYS - 1).toString(),
				today.plusDays(1).toString(), "day");
		List<Analytics.Summary.Bucket> series = summary.series();
		List<Line> lines = new ArrayList<>();
		for (Wallet.Balance balance : wallet.balances()) {
			String currency = balance.currency();
			long recent = 0;
			long month = 0;
			for (int i = 0; i < series.size(); i++) {
				long amount = series.get(i).amountAwarded().getOrDefault(currency, 0L);
				month += amount;
				if (i >= series.size() - SHORT_DAYS) {
					recent += amount;
				}
			}
			boolean isDefault = currency.equals(wallet.currency());
			if (!isDefault && balance.balance() == 0 && month == 0) {
				continue;
			}
			Line line = line(currency, balance.balance(), balance.decimals(), recent, month);
			if (isDefault) {
				lines.addFirst(line);
			}
			else {
				lines.add(line);
			}
		}
		return lines;
	}

	static Line line(String currency, long balance, int decimals, long spentShort, long spentLong) {
		Long daysLeft = null;
		String summary;
		if (spentShort <= 0) {
			summary = (spentLong <= 0) ? "no spending yet" : "no spending in the last " + SHORT_DAYS + " days";
		}
		else {
			// balance / (spent / days), in whole days, without overflow.
			daysLeft = BigInteger.valueOf(Math.max(balance, 0))
				.multiply(BigInteger.valueOf(SHORT_DAYS))
				.divide(BigInteger.valueOf(spentShort))
				.min(BigInteger.valueOf(Long.MAX_VALUE))
				.longValue();
			summary = (balance <= 0) ? "empty: rewards are refused with INSUFFICIENT_BALANCE" : (daysLeft == 0)
					? "less than a day left" : "about " + daysLeft + ((daysLeft == 1) ? " day left" : " days left");
		}
		return new Line(currency, PortalPages.format(balance, decimals), PortalPages.format(spentShort, decimals),
				average(spentShort, decimals, SHORT_DAYS), PortalPages.format(spentLong, decimals),
				average(spentLong, decimals, LONG_DAYS), daysLeft, summary);
	}

	private static String average(long spent, int decimals, int days) {
		return BigDecimal.valueOf(spent, decimals)
			.divide(BigDecimal.valueOf(days), decimals, RoundingMode.HALF_UP)
			.toPlainString();
	}

	/**
	 * One currency's runway, amounts formatted with its decimals. Public (as every record
	 * a template reads) so that the templates' expressions can read it.
	 *
	 * @param currency the currency
	 * @param balance the wallet's balance
	 * @param spentShort awarded over the last 7 days
	 * @param dailyShort its daily average
	 * @param spentLong awarded over the last 30 days
	 * @param dailyLong its daily average
	 * @param daysLeft whole days the balance lasts at the 7-day average, if anything was
	 * spent
	 * @param summary in words: {@code about 12 days left}, {@code no spending yet}, …
	 */
	public record Line(String currency, String balance, String spentShort, String dailyShort, String spentLong,
			String dailyLong, @Nullable Long daysLeft, String summary) {
	}

}
