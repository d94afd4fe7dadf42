@NullMarked
package bot.resonance.rewards.internal;

import org.jspecify.annotations.NullMarked;
