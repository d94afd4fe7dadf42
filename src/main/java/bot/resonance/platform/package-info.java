/**
 * Thin, shared infrastructure every module may use: error responses, ids, secrets and
 * hashing, the operator (admin) token, idempotency keys and the embedded PostgreSQL
 * default.
 */
@ApplicationModule(displayName = "Platform", type = ApplicationModule.Type.OPEN)
@NullMarked
package bot.resonance.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
