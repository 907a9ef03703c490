package dev.switchboard.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering every back-end service follows, as rules a test can fail on. One skeleton:
 * {@code domain} (plain Java), {@code application} (use cases, with the ports they offer
 * in {@code port.in} and the ports they need in {@code port.out}),
 * {@code adapter.in.<tech>} and {@code adapter.out.<tech>}, and {@code config}.
 */
public final class HexagonRules {

	/** Technology that belongs in an adapter, never in a use case. */
	private static final String[] INFRASTRUCTURE = { "java.sql..", "javax.sql..", "org.springframework.jdbc..",
			"org.apache.kafka..", "org.springframework.kafka..", "org.springframework.amqp..", "com.rabbitmq..",
			"jakarta.mail..", "org.springframework.mail..", "io.grpc..", "org.springframework.web..",
			"dev.switchboard.contracts.." };

	private HexagonRules() {
	}

	/**
	 * Checks the production classes under {@code servicePackage}, e.g.
	 * {@code dev.switchboard.order}.
	 */
	public static void check(String servicePackage) {
		JavaClasses service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(servicePackage);
		String domain = servicePackage + ".domain..";
		String application = servicePackage + ".application..";
		String adapters = servicePackage + ".adapter..";
		classes().that()
			.resideInAPackage(domain)
			.should()
			.onlyDependOnClassesThat()
			// javax.crypto is the JDK's own (java.base), as plain as java.security.
			.resideInAnyPackage("java..", "javax.crypto..", domain)
			.because("the domain is plain Java: no framework, broker or database types")
			.check(service);
		noClasses().that()
			.resideInAPackage(application)
			.should()
			.dependOnClassesThat()
			.resideInAPackage(adapters)
			.because("use cases talk to the outside only through their ports")
			.allowEmptyShould(true)
			.check(service);
		noClasses().that()
			.resideInAPackage(application)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(INFRASTRUCTURE)
			.because("SQL, brokers, mail and wire formats are adapters' business")
			.allowEmptyShould(true)
			.check(service);
		classes().that()
			.resideInAPackage(adapters)
			.should()
			.resideInAnyPackage(servicePackage + ".adapter.in.*..", servicePackage + ".adapter.out.*..")
			.because("every adapter sits in adapter.in.<tech> or adapter.out.<tech>")
			.allowEmptyShould(true)
			.check(service);
		slices().matching(servicePackage + ".adapter.(*).(*)..")
			.should()
			.notDependOnEachOther()
			.because("adapters meet only through the application's ports")
			.allowEmptyShould(true)
			.check(service);
		DescribedPredicate<JavaClass> useCaseInternals = resideInAPackage(application)
			.and(DescribedPredicate.not(resideInAnyPackage(servicePackage + ".application.port.in..")));
		noClasses().that()
			.resideInAPackage(servicePackage + ".adapter.in..")
			.should()
			.dependOnClassesThat(useCaseInternals)
			.because("driving adapters call use cases through port.in, never a service class or a port.out")
			.allowEmptyShould(true)
			.check(service);
		DescribedPredicate<JavaClass> notPortOut = resideInAPackage(application)
			.and(DescribedPredicate.not(resideInAnyPackage(servicePackage + ".application.port.out..")));
		noClasses().that()
			.resideInAPackage(servicePackage + ".adapter.out..")
			.should()
			.dependOnClassesThat(notPortOut)
			.because("driven adapters implement port.out and know nothing else of the application")
			.allowEmptyShould(true)
			.check(service);
		usesOnlyThePlatformApi(servicePackage);
	}

	/**
	 * Checks that the production classes under {@code servicePackage} use the platform
	 * through its API only: nothing of {@code dev.switchboard.platform.internal}, which
	 * may change with any release.
	 */
	public static void usesOnlyThePlatformApi(String servicePackage) {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAPackage("dev.switchboard.platform.internal..")
			.because("the platform's internal packages are its implementation, not its API")
			.check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
				.importPackages(servicePackage));
	}

}
