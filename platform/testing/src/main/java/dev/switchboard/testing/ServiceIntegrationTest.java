package dev.switchboard.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

/**
 * A service's integration test: the whole service ({@code @SpringBootTest}) on the test
 * JVM's {@link SharedInfrastructure}, a real Kafka broker and a real PostgreSQL server,
 * with a fresh database of its own, and the topics it consumes from but does not own
 * created before it starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest
public @interface ServiceIntegrationTest {

	/** The service under test: names its database. */
	String service();

	/**
	 * Topics other services own that the service consumes from (its own topics it creates
	 * itself).
	 */
	String[] topics() default {};

	@AliasFor(annotation = SpringBootTest.class)
	String[] properties() default {};

	@AliasFor(annotation = SpringBootTest.class)
	SpringBootTest.WebEnvironment webEnvironment() default SpringBootTest.WebEnvironment.MOCK;

}
