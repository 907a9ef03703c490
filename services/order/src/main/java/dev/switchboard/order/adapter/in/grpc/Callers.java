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
 * {@link #SUBJECT} in the call's context.
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
		String scope = SCOPES.get(call.getMethodDescriptor().getFullMethodName());
		String authorization = headers.get(AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return refuse(call, Status.UNAUTHENTICATED.withDescription("this call needs the caller's bearer token"));
		}
		Jwt token;
		try {
			token = this.tokens.decode(authorization.substring(7).strip());
		}
		catch (BadJwtException ex) {
			return refuse(call, Status.UNAUTHENTICATED.withDescription("the bearer token is not valid"));
		}
		catch (JwtException ex) {
			// The token could not be checked (the identity service's keys are out of
			// reach): nothing about the caller, so try again later.
			log.warn("Cannot verify a bearer token: {}", ex.getMessage());
			return refuse(call, Status.UNAVAILABLE.withDescription("the caller's token cannot be verified now"));
		}
		List<String> granted = token.getClaimAsStringList("scope");
		if (scope == null || granted == null || !granted.contains(scope)) {
			return refuse(call, Status.PERMISSION_DENIED
				.withDescription("the token does not grant the scope this needs: " + (scope != null ? scope : "?")));
		}
		Context context = Context.current().withValue(SUBJECT, token.getSubject());
		return Contexts.interceptCall(context, call, headers, next);
	}

	private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status) {
		call.close(status, new Metadata());
		return new ServerCall.Listener<>() {
		};
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
