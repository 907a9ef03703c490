package dev.switchboard.launcher.load;

import java.io.IOException;
import java.net.URI;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import dev.switchboard.contracts.lab.v1.ForwardRequest;
import dev.switchboard.contracts.lab.v1.RelayGrpc;

/**
 * A chain of bare servers (grpc-java, or Tomcat with a pooled Apache HttpClient), each
 * calling the next, the last answering: what a synchronous request crossing {@code depth}
 * services costs, without any service's own work, so that only the compounding shows.
 * Each hop may, by its own independent draw, answer late or fail: how often a call
 * through the chain meets one is then {@code 1 - (1 - p)^depth}.
 */
final class Chain implements AutoCloseable {

	private static final byte[] PAYLOAD = new byte[64];

	/** Tomcat logs through java.util.logging; its starts and stops are no news here. */
	private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

	static {
		TOMCAT_LOG.setLevel(java.util.logging.Level.SEVERE);
	}

	private static final long DEADLINE_SECONDS = 10;

	/**
	 * What each hop does besides forwarding.
	 *
	 * @param name a short name
	 * @param slowShare share of a hop's calls it answers {@code slow} late
	 * @param slow how late
	 * @param errorShare share of a hop's calls it fails (UNAVAILABLE)
	 */
	record Scenario(String name, double slowShare, Duration slow, double errorShare) {

		static Scenario clean() {
			return new Scenario("clean", 0, Duration.ZERO, 0);
		}

		static Scenario slow(double share, Duration slow) {
			return new Scenario("slow", share, slow, 0);
		}

		static Scenario failing(double share) {
			return new Scenario("failing", 0, Duration.ZERO, share);
		}

		String description() {
			return switch (this.name) {
				case "slow" -> String.format("slow: each hop answers %d ms late for %.1f%% of its calls",
						this.slow.toMillis(), this.slowShare * 100);
				case "failing" ->
					String.format("failing: each hop fails %.1f%% of its calls (UNAVAILABLE)", this.errorShare * 100);
				default -> "clean: every hop answers at once";
			};
		}

		/** The share of calls through {@code depth} hops that meet at least one event. */
		double predicted(int depth) {
			double p = this.name.equals("failing") ? this.errorShare : this.slowShare;
			return 1 - Math.pow(1 - p, depth);
		}

	}

	/**
	 * One run: calls made, their latency (successful ones, from each call's intended
	 * start), the share answered at least {@code slow} late and the share failed.
	 */
	record Figures(long calls, double p50Millis, double p95Millis, double p99Millis, double slowShare,
			double failedShare) {
	}

	/** Every run of one depth in one scenario. */
	record Result(Scenario scenario, int depth, List<Figures> runs) {

		double median(ToDoubleFunction<Figures> figure) {
			return Hops.median(this.runs.stream().mapToDouble(figure).toArray());
		}

		String spread(ToDoubleFunction<Figures> figure, String format) {
			return Hops.spread(this.runs.stream().mapToDouble(figure).toArray(), format);
		}

		String summary() {
			return String.format("p50 %s ms, p95 %s ms, p99 %s ms, %s%% slow, %s%% failed",
					spread(Figures::p50Millis, "%.3f"), spread(Figures::p95Millis, "%.3f"),
					spread(Figures::p99Millis, "%.3f"), spread((f) -> f.slowShare() * 100, "%.2f"),
					spread((f) -> f.failedShare() * 100, "%.2f"));
		}

	}

	/** How the hops call each other. */
	enum Transport {

		/** grpc-java, unary, on its default executors. */
		GRPC,
		/**
		 * HTTP/1.1 POST: Tomcat, and a pooled blocking Apache HttpClient as the
		 * platform's REST hops use.
		 */
		REST;

		static Transport of(String name) {
			return switch (name) {
				case "grpc" -> GRPC;
				case "rest" -> REST;
				default -> throw new IllegalArgumentException("--transport must be grpc or rest, was " + name);
			};
		}

	}

	/**
	 * Calls the chain's first hop: {@code answered} or {@code failed} runs when it ends.
	 */
	private interface Entry {

		void call(byte[] payload, Runnable answered, Runnable failed);

	}

	private final Scenario scenario;

	private final Transport transport;

	private final List<Server> servers = new ArrayList<>();

	private final List<ManagedChannel> channels = new ArrayList<>();

	private final List<Tomcat> tomcats = new ArrayList<>();

	private final List<CloseableHttpClient> clients = new ArrayList<>();

	private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

	private final Path directory;

	private final ScheduledExecutorService late = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "chain-late");
		thread.setDaemon(true);
		return thread;
	});

	private final Entry first;

	private Chain(Scenario scenario, int depth, Transport transport) throws Exception {
		this.scenario = scenario;
		this.transport = transport;
		this.directory = Files.createTempDirectory("switchboard-chain");
		this.first = (transport == Transport.GRPC) ? grpcChain(depth) : restChain(depth);
	}

	private Chain(Scenario scenario, ManagedChannel first, List<String> onward) throws IOException {
		this.scenario = scenario;
		this.transport = Transport.GRPC;
		this.directory = Files.createTempDirectory("switchboard-chain");
		this.channels.add(first);
		ForwardRequest request = ForwardRequest.newBuilder()
			.addAllRoute(onward)
			.setPayload(ByteString.copyFrom(PAYLOAD))
			.build();
		RelayGrpc.RelayStub relay = RelayGrpc.newStub(first);
		this.first = (payload, answered, failed) -> relay.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
			.forward(request, ending(answered, failed));
	}

	/**
	 * A chain through a running platform's services (up --lab-relay on): {@code first} is
	 * a channel to the first service's gRPC port, whose relay passes each call on along
	 * {@code onward}. The scenario's faults are the platform's own, set by the caller
	 * ({@code switchboard fault}); here it only says what counts as late.
	 */
	static Chain throughPlatform(Scenario scenario, ManagedChannel first, List<String> onward) throws IOException {
		return new Chain(scenario, first, onward);
	}

	/** A chain of {@code depth} hops over {@code transport}, listening on loopback. */
	static Chain of(int depth, Scenario scenario, Transport transport) throws Exception {
		return new Chain(scenario, depth, transport);
	}

	/** Over gRPC: {@link #of(int, Scenario, Transport)}. */
	static Chain of(int depth, Scenario scenario) throws Exception {
		return of(depth, scenario, Transport.GRPC);
	}

	private Entry grpcChain(int depth) throws IOException {
		ManagedChannel next = null;
		// From the last hop back to the first, each calling the one built before it.
		for (int hop = depth - 1; hop >= 0; hop--) {
			Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
				.addService(hop(next))
				.build()
				.start();
			this.servers.add(server);
			next = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
				.build();
			this.channels.add(next);
		}
		ManagedChannel channel = next;
		return (payload, answered, failed) -> ClientCalls.asyncUnaryCall(
				channel.newCall(BareServers.ECHO,
						CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)),
				payload, ending(answered, failed));
	}

	/**
	 * Runs {@code answered} or {@code failed} when the call ends; the answer is dropped.
	 */
	private static <T> StreamObserver<T> ending(Runnable answered, Runnable failed) {
		return new StreamObserver<>() {

			@Override
			public void onNext(T value) {
			}

			@Override
			public void onError(Throwable failure) {
				failed.run();
			}

			@Override
			public void onCompleted() {
				answered.run();
			}

		};
	}

	private Entry restChain(int depth) throws Exception {
		URI next = null;
		for (int hop = depth - 1; hop >= 0; hop--) {
			Tomcat tomcat = new Tomcat();
			tomcat.setBaseDir(this.directory.resolve("tomcat-" + hop).toString());
			Connector connector = new Connector();
			connector.setPort(0);
			connector.setProperty("address", "127.0.0.1");
			connector.setProperty("maxKeepAliveRequests", "-1");
			tomcat.setConnector(connector);
			Context context = tomcat.addContext("", null);
			Tomcat.addServlet(context, "hop", new RestHop(next, (next != null) ? client() : null));
			context.addServletMappingDecoded("/hop", "hop");
			tomcat.start();
			this.tomcats.add(tomcat);
			next = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/hop");
		}
		URI uri = next;
		CloseableHttpClient client = client();
		return (payload, answered, failed) -> this.callers.execute(() -> {
			try {
				post(client, uri, payload);
				answered.run();
			}
			catch (IOException ex) {
				failed.run();
			}
		});
	}

	/** A pool of kept-alive connections, as the platform's REST hops keep. */
	private CloseableHttpClient client() {
		CloseableHttpClient client = Hops.httpClient(null, 256);
		this.clients.add(client);
		return client;
	}

	/**
	 * POSTs {@code payload}: the answer's body, or an IOException for any other status.
	 */
	private static byte[] post(CloseableHttpClient client, URI uri, byte[] payload) throws IOException {
		HttpPost post = new HttpPost(uri);
		post.setEntity(new ByteArrayEntity(payload, ContentType.APPLICATION_OCTET_STREAM));
		return client.execute(post, (response) -> {
			byte[] body = EntityUtils.toByteArray(response.getEntity());
			if (response.getCode() != 200) {
				throw new IOException(uri + " answered " + response.getCode());
			}
			return body;
		});
	}

	/**
	 * One REST hop: late or failing as the scenario draws, then the next hop's answer, or
	 * the request itself at the end. A failure downstream is this hop's failure.
	 */
	private final class RestHop extends HttpServlet {

		private final URI next;

		private final CloseableHttpClient client;

		RestHop(URI next, CloseableHttpClient client) {
			this.next = next;
			this.client = client;
		}

		@Override
		protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
			byte[] body = request.getInputStream().readAllBytes();
			ThreadLocalRandom random = ThreadLocalRandom.current();
			if (random.nextDouble() < Chain.this.scenario.errorShare()) {
				response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
				return;
			}
			if (random.nextDouble() < Chain.this.scenario.slowShare()) {
				try {
					Thread.sleep(Chain.this.scenario.slow());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
					return;
				}
			}
			byte[] answer = body;
			if (this.next != null) {
				try {
					answer = post(this.client, this.next, body);
				}
				catch (IOException ex) {
					response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
					return;
				}
			}
			response.setContentType("application/octet-stream");
			response.setContentLength(answer.length);
			response.getOutputStream().write(answer);
		}

	}

	private ServerServiceDefinition hop(ManagedChannel next) {
		return ServerServiceDefinition.builder("switchboard.bench.Echo")
			.addMethod(BareServers.ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				if (random.nextDouble() < this.scenario.errorShare()) {
					response.onError(Status.UNAVAILABLE.withDescription("injected").asRuntimeException());
					return;
				}
				Runnable answer = () -> {
					if (next == null) {
						response.onNext(request);
						response.onCompleted();
					}
					else {
						forward(next, request, response);
					}
				};
				if (random.nextDouble() < this.scenario.slowShare()) {
					this.late.schedule(answer, this.scenario.slow().toNanos(), TimeUnit.NANOSECONDS);
				}
				else {
					answer.run();
				}
			}))
			.build();
	}

	private static void forward(ManagedChannel next, byte[] request, StreamObserver<byte[]> response) {
		ClientCalls.asyncUnaryCall(
				next.newCall(BareServers.ECHO,
						CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)),
				request, new StreamObserver<>() {

					@Override
					public void onNext(byte[] value) {
						response.onNext(value);
					}

					@Override
					public void onError(Throwable failure) {
						// A failure downstream fails every hop before it: the cascade.
						response.onError(Status.fromThrowable(failure).asRuntimeException());
					}

					@Override
					public void onCompleted() {
						response.onCompleted();
					}

				});
	}

	/**
	 * Calls the first hop {@code rate} times a second for {@code length}, each call at
	 * its planned time whether earlier ones have answered or not (open loop), its latency
	 * counted from that planned time: a stall delays the calls planned during it, and
	 * they count the wait (coordinated omission corrected).
	 */
	Figures load(int rate, Duration length) throws InterruptedException {
		Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
		AtomicLong failed = new AtomicLong();
		AtomicLong outstanding = new AtomicLong();
		long interval = TimeUnit.SECONDS.toNanos(1) / rate;
		long start = System.nanoTime();
		long end = start + length.toNanos();
		long calls = 0;
		for (long planned = start; planned < end; planned += interval) {
			long wait = planned - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			long intended = planned;
			calls++;
			outstanding.incrementAndGet();
			this.first.call(PAYLOAD, () -> {
				latency.recordValue(Math.max(1, (System.nanoTime() - intended) / 1000));
				outstanding.decrementAndGet();
			}, () -> {
				failed.incrementAndGet();
				outstanding.decrementAndGet();
			});
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS + 5);
		while (outstanding.get() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		long answered = Math.max(1, latency.getTotalCount());
		long slowMicros = this.scenario.slow().isZero() ? Long.MAX_VALUE : this.scenario.slow().toNanos() / 1000;
		long lateCalls = (slowMicros == Long.MAX_VALUE) ? 0
				: latency.getCountBetweenValues(slowMicros, latency.getMaxValue());
		return new Figures(calls, latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(95) / 1000.0,
				latency.getValueAtPercentile(99) / 1000.0, (double) lateCalls / answered,
				(double) failed.get() / Math.max(1, calls));
	}

	@Override
	public void close() throws Exception {
		this.callers.shutdownNow();
		for (CloseableHttpClient client : this.clients) {
			client.close();
		}
		for (Tomcat tomcat : this.tomcats) {
			tomcat.stop();
			tomcat.destroy();
		}
		for (ManagedChannel channel : this.channels) {
			channel.shutdownNow();
		}
		for (Server server : this.servers) {
			server.shutdownNow();
		}
		for (ManagedChannel channel : this.channels) {
			channel.awaitTermination(5, TimeUnit.SECONDS);
		}
		for (Server server : this.servers) {
			server.awaitTermination(5, TimeUnit.SECONDS);
		}
		this.late.shutdownNow();
		try (var files = Files.walk(this.directory)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	/**
	 * The tables: for each scenario, each depth's percentiles against {@code depth} times
	 * the one-hop chain's, and the share of slow or failed calls against
	 * {@code 1 - (1 - p)^depth}.
	 */
	static void print(List<Result> results, PrintStream out) {
		for (String name : List.of("clean", "slow", "failing")) {
			List<Result> scenario = results.stream().filter((r) -> r.scenario().name().equals(name)).toList();
			if (scenario.isEmpty()) {
				continue;
			}
			Optional<Result> one = scenario.stream().filter((r) -> r.depth() == 1).findFirst();
			out.printf("%n%s%n", scenario.getFirst().scenario().description());
			if (name.equals("failing")) {
				out.printf("  %5s %8s %22s %12s%n", "depth", "calls", "failed (spread)", "1-(1-p)^N");
				for (Result result : scenario) {
					out.printf("  %5d %8d %22s %11.2f%%%n", result.depth(), result.runs().getFirst().calls(),
							result.spread((f) -> f.failedShare() * 100, "%.2f") + "%",
							result.scenario().predicted(result.depth()) * 100);
				}
				continue;
			}
			out.printf("  %5s %8s %8s %24s %8s %14s %10s %10s %10s%n", "depth", "calls", "p50 ms", "p95 ms (spread)",
					"p99 ms", "N x hop p95", "p95/sum", "slow", "1-(1-p)^N");
			for (Result result : scenario) {
				double p95 = result.median(Figures::p95Millis);
				String sum = one.map((o) -> String.format("%.3f", o.median(Figures::p95Millis) * result.depth()))
					.orElse("-");
				String ratio = one
					.map((o) -> String.format("%.2fx", p95 / (o.median(Figures::p95Millis) * result.depth())))
					.orElse("-");
				out.printf("  %5d %8d %8.3f %24s %8.3f %14s %10s %9.2f%% %9.2f%%%n", result.depth(),
						result.runs().getFirst().calls(), result.median(Figures::p50Millis),
						result.spread(Figures::p95Millis, "%.3f"), result.median(Figures::p99Millis), sum, ratio,
						result.median(Figures::slowShare) * 100,
						name.equals("slow") ? result.scenario().predicted(result.depth()) * 100 : 0.0);
			}
		}
	}

	/** chain.svg: p95 by depth, measured and as the sum of one hop's, per scenario. */
	static void chart(List<Result> results, Path outDir) throws IOException {
		List<SvgChart.Series> series = new ArrayList<>();
		for (String name : List.of("clean", "slow")) {
			List<Result> scenario = results.stream().filter((r) -> r.scenario().name().equals(name)).toList();
			if (scenario.isEmpty()) {
				continue;
			}
			series.add(new SvgChart.Series(name + ": p95",
					scenario.stream().map((r) -> new double[] { r.depth(), r.median(Figures::p95Millis) }).toList()));
			scenario.stream().filter((r) -> r.depth() == 1).findFirst().ifPresent((one) -> {
				double hop = one.median(Figures::p95Millis);
				series.add(new SvgChart.Series(name + ": N x one hop's p95",
						scenario.stream().map((r) -> new double[] { r.depth(), hop * r.depth() }).toList()));
			});
		}
		if (!series.isEmpty()) {
			Files.writeString(outDir.resolve("chain.svg"),
					SvgChart.lines("A chain's p95 against the sum of its hops'", "hops", "p95, ms", series));
		}
	}

}
