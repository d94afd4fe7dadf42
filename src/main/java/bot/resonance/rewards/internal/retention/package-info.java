@NullMarked
package bot.resonance.rewards.internal.retention;

import org.jspecify.annotations.NullMarked;
