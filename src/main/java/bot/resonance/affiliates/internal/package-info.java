@NullMarked
package bot.resonance.affiliates.internal;

import org.jspecify.annotations.NullMarked;
