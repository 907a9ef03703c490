package dev.switchboard.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An end-to-end test class: it runs against the one platform of the test run (see
 * {@link E2e}), started before the first such class and stopped after the last, its tests
 * in their {@code @Order}. A class starts with no orders of its own and leaves the
 * platform sound: after it, the invariants hold over every order the platform has, and
 * the orders it placed ended as it expected. No class reads what another left; they run
 * in their {@code @Order} (junit-platform.properties) only so that {@link SagasIT}, which
 * restarts the platform, does not slow the others down.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PlatformTest.SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@interface PlatformTest {

	/**
	 * Starts the platform once per run (JUnit closes it when the run ends) and checks it
	 * after each class.
	 */
	final class SharedPlatform implements BeforeAllCallback, AfterAllCallback {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
			.create(SharedPlatform.class);

		@Override
		public void beforeAll(ExtensionContext context) {
			context.getRoot().getStore(NAMESPACE).computeIfAbsent(Running.class, (key) -> Running.start());
			E2e.expected.clear();
		}

		@Override
		public void afterAll(ExtensionContext context) throws Exception {
			new Invariants(E2e.dataDir, Duration.ofSeconds(120)).assertHold(E2e.expected);
		}

	}

	/** The running platform, as a resource of the whole test run. */
	final class Running implements AutoCloseable {

		static Running start() {
			try {
				E2e.startPlatform();
				return new Running();
			}
			catch (Exception ex) {
				throw new IllegalStateException("the platform did not start", ex);
			}
		}

		@Override
		public void close() throws Exception {
			E2e.stopPlatform();
		}

	}

}
