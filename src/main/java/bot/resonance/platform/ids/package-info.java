@NullMarked
package bot.resonance.platform.ids;

import org.jspecify.annotations.NullMarked;
