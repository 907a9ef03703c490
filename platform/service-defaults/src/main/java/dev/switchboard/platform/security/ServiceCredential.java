package dev.switchboard.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The secret every service of one platform shares
 * ({@code switchboard.service-credential}, from the environment as
 * {@code SWITCHBOARD_SERVICE_CREDENTIAL}) and shows on every call to another: gRPC
 * metadata and an HTTP header, both {@value #HEADER}. Required only of a service that
 * listens beyond this machine, which refuses to start without it; services on loopback
 * alone need none. A stopgap until services have identities of their own (mutual TLS): it
 * proves a caller belongs to the platform, not which service it is.
 */
public final class ServiceCredential {

	/** The HTTP header and gRPC metadata key that carry it. */
	public static final String HEADER = "switchboard-service-credential";

	private final String value;

	public ServiceCredential(String value) {
		this.value = (value != null) ? value.strip() : "";
	}

	/** Whether the platform has one: callers must show it, and callees ask for it. */
	public boolean present() {
		return !this.value.isEmpty();
	}

	/** What callers send. */
	public String value() {
		return this.value;
	}

	/** Whether {@code shown} is the credential, compared in constant time. */
	public boolean matches(String shown) {
		return present() && shown != null && MessageDigest.isEqual(this.value.getBytes(StandardCharsets.UTF_8),
				shown.getBytes(StandardCharsets.UTF_8));
	}

}
