package bot.resonance.rewards;

import org.jspecify.annotations.Nullable;

/**
 * A manual event body as read ({@code {"event", "email", "metadata"}}).
 *
 * @param brandId its {@code brand_id}, if it names one
 * @param request its fields ({@code userId} holds the email); invalid if a field is wrong
 * @param email the email as sent
 */
public record ManualEventBody(@Nullable String brandId, EventRequest request, @Nullable String email) {
}
