package bot.resonance.platform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import bot.resonance.platform.web.StrictWholeNumbers;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every controller that reads a whole number from a query parameter, path variable or
 * header implements {@link StrictWholeNumbers}, so a blank or malformed one is refused
 * (not read as absent); and only those are, so the others (the event API above all) do
 * not pay for the binder method on every request.
 */
@IntegrationTest
class StrictWholeNumbersIntegrationTests extends IntegrationTestSupport {

	private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(Integer.class, int.class, Long.class, long.class);

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void controllersWithWholeNumberParametersAndOnlyThoseImplementStrictWholeNumbers() {
		List<String> unmarked = new ArrayList<>();
		List<String> needlessly = new ArrayList<>();
		Set<Class<?>> marked = new HashSet<>();
		Set<Class<?>> reading = new HashSet<>();
		for (HandlerMethod handler : this.mappings.getHandlerMethods().values()) {
			Class<?> controller = handler.getBeanType();
			boolean strict = StrictWholeNumbers.class.isAssignableFrom(controller);
			if (strict) {
				marked.add(controller);
			}
			for (MethodParameter parameter : handler.getMethodParameters()) {
				boolean simple = parameter.hasParameterAnnotation(RequestParam.class)
						|| parameter.hasParameterAnnotation(PathVariable.class)
						|| parameter.hasParameterAnnotation(RequestHeader.class);
				if (simple && WHOLE_NUMBERS.contains(parameter.getParameterType())) {
					reading.add(controller);
					if (!strict) {
						unmarked.add(controller.getSimpleName() + "." + handler.getMethod().getName());
					}
				}
			}
		}
		marked.stream()
			.filter((controller) -> !reading.contains(controller))
			.forEach((controller) -> needlessly.add(controller.getSimpleName()));
		assertThat(reading).as("controllers reading whole numbers").hasSizeGreaterThanOrEqualTo(5);
		assertThat(unmarked).as("read whole numbers, not marked").isEmpty();
		assertThat(needlessly).as("marked, reading no whole number").isEmpty();
	}

}
