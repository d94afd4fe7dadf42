@NullMarked
package bot.resonance.portal.internal;

import org.jspecify.annotations.NullMarked;
