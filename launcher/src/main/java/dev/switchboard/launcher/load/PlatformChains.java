package dev.switchboard.launcher.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;

import dev.switchboard.contracts.lab.v1.ForwardRequest;
import dev.switchboard.contracts.lab.v1.RelayGrpc;
import dev.switchboard.launcher.fault.FaultCommand;
import dev.switchboard.launcher.platform.OperatorHttp;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.ServiceCertificates;

/**
 * The running platform's relays, for {@code bench chain --platform}: a channel to a
 * service's gRPC port, as the operator (its certificate, under mutual TLS), and the
 * scenarios' slow and failing hops as the platform's own injected faults, on the relay's
 * calls alone ({@code switchboard fault SERVICE --route switchboard.lab.v1.Relay/}).
 */
final class PlatformChains {

	/** What the faults are limited to: the relay's calls, never the business ones. */
	static final String RELAY_ROUTE = "switchboard.lab.v1.Relay/";

	private final Path dataDir;

	private final Path runDir;

	private final boolean secure;

	PlatformChains(Path dataDir) {
		this.dataDir = dataDir;
		this.runDir = dataDir.resolve("run");
		if (PlatformRun.read(this.runDir).isEmpty()) {
			throw new IllegalStateException("no running platform on " + dataDir
					+ ": start one with ./switchboard up --lab-relay on --data-dir " + dataDir);
		}
		this.secure = OperatorHttp.secure(this.runDir);
	}

	boolean secure() {
		return this.secure;
	}

	/** A new channel to {@code service}'s gRPC server; the caller closes it. */
	ManagedChannel channel(String service) throws IOException {
		int port;
		try {
			port = new Ports(this.dataDir).known(service + ".grpc");
		}
		catch (IllegalStateException ex) {
			throw new IllegalArgumentException(
					"'" + service + "' serves no gRPC here: a route names order, inventory, payment or analytics");
		}
		ChannelCredentials credentials = this.secure ? TlsChannelCredentials.newBuilder()
			.keyManager(ServiceCertificates.identityFile(this.runDir, ServiceCertificates.OPERATOR).toFile(),
					ServiceCertificates.identityFile(this.runDir, ServiceCertificates.OPERATOR).toFile())
			.trustManager(ServiceCertificates.trustFile(this.runDir).toFile())
			.build() : InsecureChannelCredentials.create();
		return Grpc.newChannelBuilderForAddress(PlatformRun.host(this.runDir), port, credentials).build();
	}

	/**
	 * Calls the relay of every service of {@code route} once, with nowhere to go on: each
	 * must answer, or the chains cannot be measured.
	 */
	void check(List<String> route) throws IOException, InterruptedException {
		for (String service : new LinkedHashSet<>(route)) {
			ManagedChannel channel = channel(service);
			try {
				RelayGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.forward(ForwardRequest.getDefaultInstance());
			}
			catch (StatusRuntimeException ex) {
				if (ex.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
					throw new IllegalStateException(service + " serves no relay: start the platform with "
							+ "./switchboard up --lab-relay on --data-dir " + this.dataDir);
				}
				throw new IllegalStateException(service + "'s relay did not answer: " + ex.getStatus());
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
	}

	/**
	 * Sets the scenario's fault on each service of {@code route} for {@code lasts}
	 * (clean: clears it); says what it did.
	 */
	String inject(Chain.Scenario scenario, List<String> route, Duration lasts) throws Exception {
		Set<String> services = new LinkedHashSet<>(route);
		List<String> fault = new ArrayList<>();
		switch (scenario.name()) {
			case "slow" -> fault.addAll(List.of("--latency", scenario.slow().toMillis() + "ms", "--latency-rate",
					Double.toString(scenario.slowShare())));
			case "failing" -> fault.addAll(List.of("--error-rate", Double.toString(scenario.errorShare())));
			default -> {
				clearFaults(route);
				return "platform faults cleared on " + String.join(", ", services);
			}
		}
		fault.addAll(List.of("--route", RELAY_ROUTE, "--for", Math.max(1, lasts.toSeconds()) + "s"));
		for (String service : services) {
			List<String> arguments = new ArrayList<>(List.of(service));
			arguments.addAll(fault);
			arguments.addAll(List.of("--data-dir", this.dataDir.toString()));
			FaultCommand.run(arguments, new PrintStream(PrintStream.nullOutputStream()));
		}
		return "switchboard fault " + String.join(" ", fault) + ", on each of " + String.join(", ", services);
	}

	/** Clears the fault of each service of {@code route}. */
	void clearFaults(List<String> route) throws Exception {
		for (String service : new LinkedHashSet<>(route)) {
			FaultCommand.run(List.of(service, "--clear", "--data-dir", this.dataDir.toString()),
					new PrintStream(PrintStream.nullOutputStream()));
		}
	}

}
