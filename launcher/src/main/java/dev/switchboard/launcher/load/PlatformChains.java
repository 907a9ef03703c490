package dev.switchboard.launcher.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
import dev.switchboard.launcher.platform.OperatorHttp;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.platform.ServiceCertificates;
import dev.switchboard.launcher.platform.ServiceFaults;

/**
 * The running platform's relays, for {@code bench chain --platform}: a channel to a
 * service's gRPC port, as the operator (its certificate, under mutual TLS), and the
 * scenarios' slow and failing hops as the platform's own injected faults, on the relay's
 * calls alone (as {@code switchboard fault SERVICE --route switchboard.lab.v1.Relay/}
 * would).
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
	 * (clean: clears it); says what it did, as the {@code switchboard fault} options that
	 * do the same.
	 */
	String inject(Chain.Scenario scenario, List<String> route, Duration lasts) throws Exception {
		Set<String> services = new LinkedHashSet<>(route);
		Map<String, Object> fault = new LinkedHashMap<>();
		String options;
		switch (scenario.name()) {
			case "slow" -> {
				fault.put("latencyMs", scenario.slow().toMillis());
				fault.put("latencyRate", scenario.slowShare());
				options = "--latency " + scenario.slow().toMillis() + "ms --latency-rate " + scenario.slowShare();
			}
			case "failing" -> {
				fault.put("errorRate", scenario.errorShare());
				options = "--error-rate " + scenario.errorShare();
			}
			default -> {
				clearFaults(route);
				return "platform faults cleared on " + String.join(", ", services);
			}
		}
		long seconds = Math.max(1, lasts.toSeconds());
		fault.put("route", RELAY_ROUTE);
		fault.put("durationSeconds", seconds);
		for (String service : services) {
			ServiceFaults.inject(RunningServices.Target.of(service, this.dataDir, false), fault);
		}
		return "switchboard fault " + options + " --route " + RELAY_ROUTE + " --for " + seconds + "s, on each of "
				+ String.join(", ", services);
	}

	/** Clears the fault of each service of {@code route}. */
	void clearFaults(List<String> route) throws IOException, InterruptedException {
		for (String service : new LinkedHashSet<>(route)) {
			ServiceFaults.clear(RunningServices.Target.of(service, this.dataDir, false));
		}
	}

}
