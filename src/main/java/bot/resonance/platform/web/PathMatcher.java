package bot.resonance.platform.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Matches requests against path patterns exactly as Spring MVC maps them to controllers
 * (the same parser, the same path, encoded segments and {@code ;} parameters included),
 * so a filter that guards a set of endpoints cannot be passed by spelling a path
 * differently.
 */
public final class PathMatcher {

	private final List<PathPattern> includes;

	private final List<PathPattern> excludes;

	private PathMatcher(List<PathPattern> includes, List<PathPattern> excludes) {
		this.includes = includes;
		this.excludes = excludes;
	}

	/** Requests matching any of {@code includes}. */
	public static PathMatcher of(String... includes) {
		return new PathMatcher(parse(includes), List.of());
	}

	/** The same requests, but for those matching any of {@code excludes}. */
	public PathMatcher excluding(String... excludes) {
		return new PathMatcher(this.includes, parse(excludes));
	}

	public boolean matches(HttpServletRequest request) {
		PathContainer path = RequestPath.parse(request.getRequestURI(), request.getContextPath())
			.pathWithinApplication();
		return this.includes.stream().anyMatch((p) -> p.matches(path))
				&& this.excludes.stream().noneMatch((p) -> p.matches(path));
	}

	private static List<PathPattern> parse(String... patterns) {
		return List.of(patterns).stream().map(PathPatternParser.defaultInstance::parse).toList();
	}

}
