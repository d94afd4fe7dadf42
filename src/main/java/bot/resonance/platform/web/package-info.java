@NullMarked
package bot.resonance.platform.web;

import org.jspecify.annotations.NullMarked;
