package dev.switchboard.platform.internal.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * Stops the service when the launcher that started it is gone, even if the launcher was
 * killed with SIGKILL and could not stop its children: no orphan keeps a port or a
 * database connection. Active when {@code switchboard.parent-pid} is set.
 */
@AutoConfiguration
@ConditionalOnProperty("switchboard.parent-pid")
public class ParentWatchdogAutoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ParentWatchdogAutoConfiguration.class);

	@Bean
	ApplicationListener<ApplicationReadyEvent> parentWatchdog(@Value("${switchboard.parent-pid}") long parentPid) {
		return (event) -> ProcessHandle.of(parentPid).ifPresentOrElse((parent) -> parent.onExit().thenRun(() -> {
			log.warn("Launcher process {} is gone; shutting down", parentPid);
			System.exit(SpringApplication.exit(event.getApplicationContext(), () -> 0));
		}), () -> {
			log.warn("Launcher process {} is not running; shutting down", parentPid);
			System.exit(SpringApplication.exit(event.getApplicationContext(), () -> 0));
		});
	}

}
