package dev.switchboard.platform.internal.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.access.AccessPolicy;
import dev.switchboard.platform.security.ServiceIdentity;

/**
 * Every gRPC call is allowed or refused by who makes it: the service the caller's
 * certificate names (mutual TLS has already proved the caller holds its key), checked
 * against the {@link AccessPolicy}. A refusal is PERMISSION_DENIED, logged with caller
 * and target and counted in {@code switchboard.authorization.denied}.
 */
final class CallerAuthorization implements ServerInterceptor {

	static final String DENIED = "switchboard.authorization.denied";

	private static final Logger log = LoggerFactory.getLogger(CallerAuthorization.class);

	static final String NOBODY = "(no platform identity)";

	private final AccessPolicy policy;

	private final MeterRegistry meters;

	private final String self;

	CallerAuthorization(AccessPolicy policy, MeterRegistry meters, String self) {
		this.policy = policy;
		this.meters = meters;
		this.self = self;
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		String caller = callerOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
		String method = call.getMethodDescriptor().getFullMethodName();
		if (this.policy.allowsCall(caller, method)) {
			return next.startCall(call, headers);
		}
		String who = (caller != null) ? caller : NOBODY;
		log.warn("Refused a gRPC call: {} may not call {} on {}", who, method, this.self);
		Counter.builder(DENIED)
			.description("Internal calls refused by the access policy")
			.tag("caller", who)
			.tag("target", method)
			.tag("transport", "grpc")
			.register(this.meters)
			.increment();
		call.close(Status.PERMISSION_DENIED.withDescription(who + " may not call " + method), new Metadata());
		return new ServerCall.Listener<>() {
		};
	}

	private static String callerOf(SSLSession session) {
		if (session == null) {
			return null;
		}
		try {
			Certificate[] chain = session.getPeerCertificates();
			return (chain.length > 0 && chain[0] instanceof X509Certificate leaf)
					? ServiceIdentity.serviceOf(leaf).orElse(null) : null;
		}
		catch (SSLPeerUnverifiedException ex) {
			return null;
		}
	}

}
