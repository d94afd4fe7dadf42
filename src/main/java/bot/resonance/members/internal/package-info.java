@NullMarked
package bot.resonance.members.internal;

import org.jspecify.annotations.NullMarked;
