@NullMarked
package bot.resonance.rewards.internal.ingest;

import org.jspecify.annotations.NullMarked;
