package bot.resonance.platform.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StorableTextFilterUnitTests {

	@Test
	void queryStringsThatArePercentEncodedUtf8AreAccepted() {
		for (String query : new String[] { null, "", "a=1&b=2", "next=%2Fportal%3Fx%3D1", "name=caf%C3%A9",
				"emoji=%F0%9F%98%80", "q=a+b", "x=%2b%2B", "flag", "a=%7E" }) {
			assertThat(StorableTextFilter.isPercentEncodedUtf8(query)).as(query).isTrue();
		}
	}

	@Test
	void malformedEscapesAndBytesThatAreNotUtf8AreRefused() {
		for (String query : new String[] { "a=%", "a=%Z", "a=%ZZ", "a=%2", "a%G1=1", "a=%FF", "a=%C3%28", "a=%C0%AF",
				"a=%ED%A0%80", "a=%F4%90%80%80", "a=%E2%82", "a=100%", "a=%\u0663\u0663" }) {
			assertThat(StorableTextFilter.isPercentEncodedUtf8(query)).as(query).isFalse();
		}
	}

	@Test
	void parametersWithoutANameOrTooManyAreRefused() {
		assertThat(StorableTextFilter.parametersProblem(null, 1000)).isNull();
		assertThat(StorableTextFilter.parametersProblem("", 1000)).isNull();
		assertThat(StorableTextFilter.parametersProblem("a=1&b=&c&&d=2&", 1000)).isNull();
		assertThat(StorableTextFilter.parametersProblem("a=1&=", 1000)).contains("without a name");
		assertThat(StorableTextFilter.parametersProblem("=", 1000)).contains("without a name");
		assertThat(StorableTextFilter.parametersProblem("==", 1000)).contains("without a name");
		assertThat(StorableTextFilter.parametersProblem("x=1&=" + "v".repeat(100), 1000)).contains("=vvvv")
			.hasSizeLessThan(120);
		String thousand = String.join("&", java.util.Collections.nCopies(1000, "p=1"));
		assertThat(StorableTextFilter.parametersProblem(thousand, 1000)).isNull();
		assertThat(StorableTextFilter.parametersProblem(thousand + "&q=2", 1000)).contains("1001 parameters");
		assertThat(StorableTextFilter.parametersProblem(thousand + "&q=2", -1)).isNull();
	}

}
