/**
 * Resonance: a self-hostable rewards, economy and webhook engine for Discord communities
 * and the brands behind them.
 *
 * <p>
 * Each direct sub-package is a Spring Modulith application module: its root package is
 * its public API, everything under {@code internal} is private to it.
 */
@NullMarked
package bot.resonance;

import org.jspecify.annotations.NullMarked;
