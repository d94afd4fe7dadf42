/**
 * Event types and their amount rules: what each type pays, with its cooldown and limits.
 * The bottom of the rewards module: the pipeline ({@code internal.ingest}) reads them,
 * nothing here reads the pipeline.
 */
@NullMarked
package bot.resonance.rewards.internal.types;

import org.jspecify.annotations.NullMarked;
