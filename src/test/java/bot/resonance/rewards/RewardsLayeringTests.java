package bot.resonance.rewards;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Inside the rewards module the packages form layers: event types at the bottom, the
 * event pipeline above them, the controllers and queries on top; the statistics stand
 * apart. No package of the module depends on one above it, so none can form a cycle.
 */
class RewardsLayeringTests {

	private static final JavaClasses REWARDS = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("bot.resonance.rewards");

	@Test
	void eventTypesDependOnNeitherThePipelineNorItsAdapters() {
		noClasses().that()
			.resideInAPackage("bot.resonance.rewards.internal.types..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("bot.resonance.rewards.internal", "bot.resonance.rewards.internal.ingest..",
					"bot.resonance.rewards.internal.statistics..")
			.check(REWARDS);
	}

	@Test
	void thePipelineDependsOnNoAdapter() {
		noClasses().that()
			.resideInAPackage("bot.resonance.rewards.internal.ingest..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("bot.resonance.rewards.internal", "bot.resonance.rewards.internal.statistics..")
			.check(REWARDS);
	}

	@Test
	void theInternalPackagesFormNoCycle() {
		slices().matching("bot.resonance.rewards.internal.(**)").should().beFreeOfCycles().check(REWARDS);
	}

}
