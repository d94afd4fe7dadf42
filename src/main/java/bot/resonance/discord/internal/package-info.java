@NullMarked
package bot.resonance.discord.internal;

import org.jspecify.annotations.NullMarked;
