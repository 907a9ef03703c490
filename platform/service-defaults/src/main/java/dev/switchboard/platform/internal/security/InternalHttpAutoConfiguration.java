package dev.switchboard.platform.internal.security;

import dev.switchboard.platform.security.InternalHttp;
import dev.switchboard.platform.security.ServiceIdentity;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * How this service's HTTP clients reach the others: over mutual TLS as itself when the
 * launcher says the internal HTTP ports speak it ({@code switchboard.tls.http}), in plain
 * text otherwise.
 */
@AutoConfiguration(after = MutualTlsAutoConfiguration.class)
public class InternalHttpAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	InternalHttp internalHttp(ObjectProvider<ServiceIdentity> identity,
			@Value("${switchboard.tls.http:false}") boolean tls) {
		ServiceIdentity mine = identity.getIfAvailable();
		return (tls && mine != null) ? new InternalHttp(mine) : InternalHttp.plain();
	}

}
