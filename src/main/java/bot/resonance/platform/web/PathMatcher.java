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
		PathContainer path = pathOf(request);
		boolean included = false;
		for (PathPattern pattern : this.includes) {
			if (pattern.matches(path)) {
				included = true;
				break;
			}
		}
		if (!included) {
			return false;
		}
		for (PathPattern pattern : this.excludes) {
			if (pattern.matches(path)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The request's path within the application, parsed once per request (several filters
	 * ask) and again if the request's URI is not the one it was parsed from (a forward).
	 */
	private static PathContainer pathOf(HttpServletRequest request) {
		String uri = request.getRequestURI();
		if (request.getAttribute(PARSED) instanceof Parsed parsed && parsed.uri().equals(uri)) {
			return parsed.path();
		}
		PathContainer path = RequestPath.parse(uri, request.getContextPath()).pathWithinApplication();
		request.setAttribute(PARSED, new Parsed(uri, path));
		return path;
	}

	private static final String PARSED = PathMatcher.class.getName() + ".path";

	private record Parsed(String uri, PathContainer path) {
	}

	private static List<PathPattern> parse(String... patterns) {
		return List.of(patterns).stream().map(PathPatternParser.defaultInstance::parse).toList();
	}

}
