package dev.switchboard.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering every service follows, as rules a test can fail on: the domain is plain
 * Java that knows nothing but itself, and use cases never reach into the adapters that
 * call them or that they call.
 */
public final class HexagonRules {

	private HexagonRules() {
	}

	/** Checks the production classes under {@code servicePackage}, e.g. {@code dev.switchboard.order}. */
	public static void check(String servicePackage) {
		JavaClasses service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(servicePackage);
		classes().that()
			.resideInAPackage(servicePackage + ".domain..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", servicePackage + ".domain..")
			.because("the domain is plain Java: no framework, broker or database types")
			.check(service);
		noClasses().that()
			.resideInAPackage(servicePackage + ".application..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(servicePackage + ".adapter..")
			.because("use cases talk to the outside only through their ports")
			.allowEmptyShould(true)
			.check(service);
	}

}
