package dev.switchboard.order.adapter.in.grpc;

import java.util.List;
import java.util.Map;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.order.v1.OrderServiceGrpc;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Who calls the order service: the bearer token of the customer on whose behalf the
 * gateway calls, in the call's {@code authorization} metadata. The token is verified here
 * again, with the identity service's keys (the gateway's word is not taken for it), and
 * each method needs its scope: {@code CreateOrder} {@code orders:write}, the reads
 * {@code orders:read}. A call without a valid token is {@code UNAUTHENTICATED}, one
 * without the scope {@code PERMISSION_DENIED}; a verified caller's subject is
 * {@link #SUBJECT} in the call's context. The HTTP binding checks its
 * {@code Authorization} header the same way ({@link #verify}).
 */
public final class Callers implements ServerInterceptor {

	private static final Logger log = LoggerFactory.getLogger(Callers.class);

	/** The verified caller's subject: the customer whose orders the call may touch. */
	static final Context.Key<String> SUBJECT = Context.key("switchboard.subject");

	private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
			Metadata.ASCII_STRING_MARSHALLER);

	private static final Map<String, String> SCOPES = Map.of(
			OrderServiceGrpc.getCreateOrderMethod().getFullMethodName(), "orders:write",
			OrderServiceGrpc.getGetOrderMethod().getFullMethodName(), "orders:read",
			OrderServiceGrpc.getGetSagaMethod().getFullMethodName(), "orders:read",
			OrderServiceGrpc.getListOrdersMethod().getFullMethodName(), "orders:read",
			OrderServiceGrpc.getListSagasMethod().getFullMethodName(), "orders:read",
			OrderServiceGrpc.getBulkUpdateOrdersMethod().getFullMethodName(), "orders:write",
			OrderServiceGrpc.getStreamOrderUpdatesMethod().getFullMethodName(), "orders:read");

	private final JwtDecoder tokens;

	public Callers(JwtDecoder tokens) {
		this.tokens = tokens;
	}

	@Override
	public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
			ServerCallHandler<Q, A> next) {
		if (!OrderServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
			return next.startCall(call, headers);
		}
		String subject;
		try {
			subject = verify(headers.get(AUTHORIZATION), call.getMethodDescriptor().getFullMethodName());
		}
		catch (StatusException refused) {
			call.close(refused.getStatus(), new Metadata());
			return new ServerCall.Listener<>() {
			};
		}
		Context context = Context.current().withValue(SUBJECT, subject);
		return Contexts.interceptCall(context, call, headers, next);
	}

	/**
	 * The subject of a caller whose {@code authorization} (the header's value, perhaps
	 * missing) holds a valid bearer token granting what {@code method} (its full name)
	 * needs; otherwise the status to answer.
	 */
	String verify(String authorization, String method) throws StatusException {
		String scope = SCOPES.get(method);
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw Status.UNAUTHENTICATED.withDescription("this call needs the caller's bearer token").asException();
		}
		Jwt token;
		try {
			token = this.tokens.decode(authorization.substring(7).strip());
		}
		catch (BadJwtException ex) {
			throw Status.UNAUTHENTICATED.withDescription("the bearer token is not valid").asException();
		}
		catch (JwtException ex) {
			// The token could not be checked (the identity service's keys are out of
			// reach): nothing about the caller, so try again later.
			log.warn("Cannot verify a bearer token: {}", ex.getMessage());
			throw Status.UNAVAILABLE.withDescription("the caller's token cannot be verified now").asException();
		}
		List<String> granted = token.getClaimAsStringList("scope");
		if (scope == null || granted == null || !granted.contains(scope)) {
			throw Status.PERMISSION_DENIED
				.withDescription("the token does not grant the scope this needs: " + (scope != null ? scope : "?"))
				.asException();
		}
		return token.getSubject();
	}

	/** The caller of the call in progress, as verified by {@link Callers}. */
	static String subject() {
		String subject = SUBJECT.get();
		if (subject == null) {
			throw new IllegalStateException("no verified caller: the Callers interceptor is not installed");
		}
		return subject;
	}

}
