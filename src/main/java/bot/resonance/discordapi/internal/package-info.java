@NullMarked
package bot.resonance.discordapi.internal;

import org.jspecify.annotations.NullMarked;
