@NullMarked
package bot.resonance.network.internal;

import org.jspecify.annotations.NullMarked;
