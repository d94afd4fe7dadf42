/**
 * Members and their identities. A member is one person within a brand, reachable through
 * any of their identities (a Discord user id today); the first time an identity is seen,
 * the member is created.
 *
 * <p>
 * Use {@link bot.resonance.identity.Members}.
 */
@ApplicationModule(displayName = "Identity", allowedDependencies = { "platform" })
@NullMarked
package bot.resonance.identity;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
