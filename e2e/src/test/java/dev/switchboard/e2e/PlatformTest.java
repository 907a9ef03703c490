package dev.switchboard.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An end-to-end test class: it runs against the one platform of the test run (see
 * {@link E2e}), started before the first such class and stopped after the last, its tests
 * in their {@code @Order}. Classes run in their own {@code @Order}
 * (junit-platform.properties): {@link SagasIT}, which restarts the platform, last.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PlatformTest.SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@interface PlatformTest {

	/** Starts the platform once per run; JUnit closes it when the run ends. */
	final class SharedPlatform implements BeforeAllCallback {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
			.create(SharedPlatform.class);

		@Override
		public void beforeAll(ExtensionContext context) {
			context.getRoot().getStore(NAMESPACE).computeIfAbsent(Running.class, (key) -> Running.start());
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
