/**
 * How busy this node is with work that must not starve: a signal that the webhook
 * deliveries have fallen behind, which the event pipeline reads to yield to them.
 */
@NullMarked
package bot.resonance.platform.load;

import org.jspecify.annotations.NullMarked;
