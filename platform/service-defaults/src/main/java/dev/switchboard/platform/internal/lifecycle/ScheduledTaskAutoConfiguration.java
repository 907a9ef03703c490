package dev.switchboard.platform.internal.lifecycle;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Every service's task scheduler, on virtual threads or a pool, reports failed runs
 * through {@link ScheduledTaskFailures}.
 */
@AutoConfiguration
public class ScheduledTaskAutoConfiguration {

	@Bean
	SimpleAsyncTaskSchedulerCustomizer scheduledTaskFailures() {
		return (scheduler) -> scheduler.setErrorHandler(new ScheduledTaskFailures());
	}

	@Bean
	ThreadPoolTaskSchedulerCustomizer pooledScheduledTaskFailures() {
		return (scheduler) -> scheduler.setErrorHandler(new ScheduledTaskFailures());
	}

}
