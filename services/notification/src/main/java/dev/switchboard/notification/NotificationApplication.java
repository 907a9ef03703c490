package dev.switchboard.notification;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.util.ClassUtils;

@SpringBootApplication
public class NotificationApplication {

	/**
	 * Jakarta Mail looks up its stream provider with a {@link java.util.ServiceLoader}
	 * scan of the class path on every message it encodes, which inside a Spring Boot jar
	 * cost about a fifth of this service's CPU under load. Naming the provider in the
	 * system property that the lookup checks first turns the scan into a loaded-class
	 * lookup.
	 */
	static void nameMailStreamProvider() {
		String provider = "org.eclipse.angus.mail.util.MailStreamProvider";
		if (System.getProperty("jakarta.mail.util.StreamProvider") == null
				&& ClassUtils.isPresent(provider, NotificationApplication.class.getClassLoader())) {
			System.setProperty("jakarta.mail.util.StreamProvider", provider);
		}
	}

	public static void main(String[] args) {
		nameMailStreamProvider();
		SpringApplication.run(NotificationApplication.class, args);
	}

}
