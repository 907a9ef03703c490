package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.switchboard.embedded.CertificateAuthority;

/**
 * HTTP from the launcher's tools to a service's internal port, as a service would call
 * it: over mutual TLS with the operator's certificate when the platform runs with it, in
 * plain text when it does not ({@code up --mtls off}). The gateway's public port is not
 * one of these.
 */
public final class OperatorHttp {

	private OperatorHttp() {
	}

	/**
	 * Whether the platform on {@code runDir} takes only mutually authenticated calls on
	 * its internal HTTP ports.
	 */
	public static boolean secure(Path runDir) {
		return Files.exists(ServiceCertificates.identityFile(runDir, ServiceCertificates.OPERATOR));
	}

	/** A client builder: with the operator's certificate when {@link #secure}. */
	public static HttpClient.Builder client(Path runDir) {
		HttpClient.Builder builder = HttpClient.newBuilder();
		if (secure(runDir)) {
			builder.sslContext(CertificateAuthority.tlsContext(
					ServiceCertificates.identityFile(runDir, ServiceCertificates.OPERATOR),
					ServiceCertificates.trustFile(runDir)));
		}
		return builder;
	}

	/**
	 * {@code path} on the port {@code port} of this machine: over TLS when it is an
	 * internal port of a platform with identities, in plain HTTP on the gateway's public
	 * port (whose operator endpoints take the admin token alone, and which listens on
	 * every address).
	 */
	public static URI uri(Path runDir, int port, String path) {
		boolean publicPort = port == publicPort(runDir);
		boolean tls = secure(runDir) && !publicPort;
		return URI.create((tls ? "https" : "http") + "://" + (publicPort ? "127.0.0.1" : PlatformRun.host(runDir)) + ":"
				+ port + path);
	}

	private static int publicPort(Path runDir) {
		try {
			Path gateway = RunningServices.portFile(runDir, "gateway");
			return Files.exists(gateway) ? Integer.parseInt(Files.readString(gateway).strip()) : -1;
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

}
