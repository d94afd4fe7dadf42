/**
 * How Resonance logs failures it handles itself.
 */
@NullMarked
package bot.resonance.platform.logging;

import org.jspecify.annotations.NullMarked;
