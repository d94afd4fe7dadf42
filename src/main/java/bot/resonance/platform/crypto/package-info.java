@NullMarked
package bot.resonance.platform.crypto;

import org.jspecify.annotations.NullMarked;
