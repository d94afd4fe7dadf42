package bot.resonance.platform.web;

/**
 * Implemented by a controller whose query parameters, path variables or headers are whole
 * numbers ({@code Integer}, {@code Long}): they are read strictly, a blank or malformed
 * value answered {@code 400} (see {@link WholeNumberParameters}). Only such controllers
 * implement it: Spring MVC prepares a controller advice's binder method on every request
 * of the controllers it applies to, which the event API should not pay for, and tells
 * which those are on every request too, which for a type is one cheap check (for an
 * annotation it was a search of the controller's annotations, as costly as the advice).
 */
public interface StrictWholeNumbers {

}
