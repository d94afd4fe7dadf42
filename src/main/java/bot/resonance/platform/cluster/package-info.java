/**
 * Signals between the nodes of a deployment, over PostgreSQL's LISTEN/NOTIFY: a node that
 * changes something others cache tells them in the same transaction, and they hear it the
 * moment it commits.
 */
@NullMarked
package bot.resonance.platform.cluster;

import org.jspecify.annotations.NullMarked;
