package dev.switchboard.launcher;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * One package per command, over one package that knows a platform: the commands meet only
 * in what they share, and only {@code chaos} (which loads and injects faults) builds on
 * other commands.
 */
class LauncherArchitectureTest {

	private static final JavaClasses LAUNCHER = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.switchboard.launcher");

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.switchboard.launcher.(*)..").should().beFreeOfCycles().check(LAUNCHER);
	}

	@Test
	void whatAPlatformIsKnowsNoCommand() {
		noClasses().that()
			.resideInAPackage("dev.switchboard.launcher.platform..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.switchboard.launcher.up..", "dev.switchboard.launcher.load..",
					"dev.switchboard.launcher.chaos..", "dev.switchboard.launcher.fault..",
					"dev.switchboard.launcher.dlq..")
			.check(LAUNCHER);
	}

	@Test
	void commandsDoNotUseEachOtherButChaosUsesLoadAndFault() {
		slices().matching("dev.switchboard.launcher.(up|load|fault|dlq)..")
			.should()
			.notDependOnEachOther()
			.check(LAUNCHER);
		noClasses().that()
			.resideInAnyPackage("dev.switchboard.launcher.up..", "dev.switchboard.launcher.load..",
					"dev.switchboard.launcher.fault..", "dev.switchboard.launcher.dlq..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.switchboard.launcher.chaos..")
			.check(LAUNCHER);
	}

}
