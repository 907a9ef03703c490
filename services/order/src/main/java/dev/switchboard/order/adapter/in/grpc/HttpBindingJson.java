package dev.switchboard.order.adapter.in.grpc;

import com.google.protobuf.util.JsonFormat;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.protobuf.ProtobufJsonFormatHttpMessageConverter;

/**
 * Reads and writes the API's protobuf messages as JSON in protobuf's canonical mapping
 * ({@link OrderHttpBinding}): Spring MVC takes it before Jackson, and it reads and writes
 * nothing but protobuf messages. Compact (no insignificant whitespace), and strict: a
 * request with a field the contract does not have is refused rather than half read.
 */
@Configuration(proxyBeanMethods = false)
class HttpBindingJson {

	@Bean
	ProtobufJsonFormatHttpMessageConverter protobufJson() {
		return new ProtobufJsonFormatHttpMessageConverter(JsonFormat.parser(),
				JsonFormat.printer().omittingInsignificantWhitespace());
	}

}
