@NullMarked
package bot.resonance.brands.internal;

import org.jspecify.annotations.NullMarked;
