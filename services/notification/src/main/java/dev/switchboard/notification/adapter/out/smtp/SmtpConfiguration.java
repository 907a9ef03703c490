package dev.switchboard.notification.adapter.out.smtp;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Swaps the mail sender Spring Boot configures from {@code spring.mail.*} for one with
 * the same settings that keeps its connection open.
 */
@Configuration(proxyBeanMethods = false)
class SmtpConfiguration {

	@Bean
	static BeanPostProcessor keepSmtpConnectionsOpen() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof JavaMailSenderImpl sender && !(bean instanceof KeptOpenMailSender)) {
					return KeptOpenMailSender.copyOf(sender);
				}
				return bean;
			}
		};
	}

}
