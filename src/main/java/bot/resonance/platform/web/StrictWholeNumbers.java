package bot.resonance.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller whose query parameters, path variables or headers are whole numbers
 * ({@code Integer}, {@code Long}): they are read strictly, a blank or malformed value
 * answered {@code 400} (see {@link WholeNumberParameters}). Only such controllers carry
 * it: Spring MVC prepares a controller advice's binder method on every request of the
 * controllers it applies to, which the event API should not pay for.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StrictWholeNumbers {

}
