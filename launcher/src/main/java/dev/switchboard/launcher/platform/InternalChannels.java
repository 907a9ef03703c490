package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;

/**
 * gRPC channels from the launcher's tools to a service, as a service would open them:
 * with mutual TLS and the operator's certificate when the platform runs with it, in plain
 * text when it does not ({@code up --mtls off}).
 */
public final class InternalChannels {

	private InternalChannels() {
	}

	/**
	 * A channel to {@code port} on this machine (on the address the platform listens on)
	 * as the {@value ServiceCertificates#OPERATOR}.
	 */
	public static ManagedChannel asOperator(Path runDir, int port) throws IOException {
		Path identity = ServiceCertificates.identityFile(runDir, ServiceCertificates.OPERATOR);
		ChannelCredentials credentials = Files.exists(identity)
				? credentials(identity, ServiceCertificates.trustFile(runDir)) : InsecureChannelCredentials.create();
		return Grpc.newChannelBuilder(PlatformRun.host(runDir) + ":" + port, credentials).build();
	}

	/**
	 * Mutual TLS credentials from an identity file (key and certificate, one PEM file)
	 * and the authorities to trust.
	 */
	public static ChannelCredentials credentials(Path identity, Path trust) throws IOException {
		return TlsChannelCredentials.newBuilder()
			.keyManager(identity.toFile(), identity.toFile())
			.trustManager(trust.toFile())
			.build();
	}

}
