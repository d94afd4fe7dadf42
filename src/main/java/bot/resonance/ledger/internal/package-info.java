@NullMarked
package bot.resonance.ledger.internal;

import org.jspecify.annotations.NullMarked;
