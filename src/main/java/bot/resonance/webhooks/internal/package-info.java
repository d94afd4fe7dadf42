@NullMarked
package bot.resonance.webhooks.internal;

import org.jspecify.annotations.NullMarked;
