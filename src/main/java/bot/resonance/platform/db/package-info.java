@NullMarked
package bot.resonance.platform.db;

import org.jspecify.annotations.NullMarked;
