@NullMarked
package bot.resonance.platform.admin;

import org.jspecify.annotations.NullMarked;
