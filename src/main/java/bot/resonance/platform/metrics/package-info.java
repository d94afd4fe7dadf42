/**
 * Helpers for Resonance's own metrics.
 */
@NullMarked
package bot.resonance.platform.metrics;

import org.jspecify.annotations.NullMarked;
