@NullMarked
package bot.resonance.identity.internal;

import org.jspecify.annotations.NullMarked;
