package dev.switchboard.launcher.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.apache.hc.core5.http.ContentType;

import dev.switchboard.contracts.analytics.v1.AnalyticsServiceGrpc;
import dev.switchboard.contracts.analytics.v1.GetSummaryRequest;
import dev.switchboard.contracts.inventory.v1.CheckAndReserveRequest;
import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.Line;
import dev.switchboard.contracts.order.v1.Address;
import dev.switchboard.contracts.order.v1.CreateOrderRequest;
import dev.switchboard.contracts.order.v1.GetOrderRequest;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.embedded.CertificateAuthority;
import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.DurationConverter;
import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.OperatorHttp;
import dev.switchboard.launcher.platform.PlatformRun;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.platform.ServiceCertificates;

/**
 * {@code switchboard bench hops}: one call, hop by hop, against bare echo servers in the
 * same run.
 */
@Command(name = "hops", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = { "What one call costs: bare echo servers in this process (raw TCP, grpc-java, Tomcat, "
				+ "Netty; plain and mutual TLS) at each --payloads size, then the platform's own hops (the gateway "
				+ "to analytics over REST and to order over gRPC, and the services called directly as the gateway "
				+ "would), each against its baseline: p50, p99, throughput, CPU per call of every process; and the "
				+ "sizes of real messages as JSON and protobuf, with and without gzip. Writes report.md to --out." })
final class HopsCommand implements Callable<Integer> {

	private static final String DIRECT_REST = "analytics (REST, direct)";

	private static final String DIRECT_GRPC = "order (gRPC, direct)";

	private static final String DIRECT_ORDER_REST = "order (REST, direct)";

	private static final String RESERVE_GRPC = "inventory reserve (gRPC)";

	@Spec
	CommandSpec spec;

	@Option(names = "--payloads", paramLabel = "B1,B2,...", split = ",", defaultValue = "64,1024,16384",
			description = "bytes the bare echo servers are sent (default ${DEFAULT-VALUE})")
	int[] payloads;

	@Option(names = "--duration", paramLabel = "D", defaultValue = "10s", converter = DurationConverter.class,
			description = "how long each target is called, one in flight and then --connections (default ${DEFAULT-VALUE})")
	Duration duration;

	@Option(names = "--runs", paramLabel = "N", defaultValue = "3",
			description = "runs of each target, for the spread (default ${DEFAULT-VALUE})")
	int runs;

	@Option(names = "--warmup", paramLabel = "D", defaultValue = "20s", converter = DurationConverter.class,
			description = "calls before each target is measured, for the JIT (default ${DEFAULT-VALUE}; 0 for none)")
	Duration warmup;

	@Option(names = "--connections", paramLabel = "N", defaultValue = "16",
			description = "calls in flight for the throughput, each on its own connection (default ${DEFAULT-VALUE})")
	int connections;

	@Option(names = "--bare-only", description = "the bare servers only: no platform needed")
	boolean bareOnly;

	@Option(names = "--layers", negatable = true, defaultValue = "true", fallbackValue = "true",
			description = "profile the services of each platform hop (JDK Flight Recorder) and split their CPU by "
					+ "layer (default: on; --no-layers for none)")
	boolean layers;

	@Mixin
	DataDirOption dataDir;

	@Mixin
	OrdersOptions orders;

	@Option(names = "--out", paramLabel = "DIR",
			description = "where the report goes (default DIR/bench/hops-<date-time>)")
	Path out;

	@Override
	public Integer call() throws Exception {
		if (this.payloads.length == 0 || Arrays.stream(this.payloads).anyMatch((p) -> p < 0 || p > (8 << 20))
				|| this.runs < 1 || this.connections < 1 || this.duration.isZero()) {
			throw new IllegalArgumentException(
					"--payloads must be 0 to 8 MB, --runs and --connections at least 1, " + "--duration above 0");
		}
		Path dir = this.dataDir.path();
		Optional<PlatformRun> run = PlatformRun.read(dir.resolve("run"));
		if (run.isEmpty() && !this.bareOnly) {
			throw new IllegalStateException("no running platform on " + dir + ": start one with ./switchboard up "
					+ "--data-dir " + dir + ", or measure the bare servers alone with --bare-only");
		}
		Path outDir = (this.out != null) ? this.out : dir.resolve("bench")
			.resolve("hops-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		Files.createDirectories(outDir);
		ByteArrayOutputStream transcript = new ByteArrayOutputStream();
		PrintStream both = new PrintStream(new Bench.Tee(System.out, transcript), true, StandardCharsets.UTF_8);
		both.printf("switchboard %s%n", String.join(" ", this.spec.commandLine().getParseResult().originalArgs()));
		both.printf("machine: %s%n", MachineFacts.describe());
		List<ProcessCpu.Group> groups = run.isPresent() ? Bench.groups(dir, run.get())
				: List.of(new ProcessCpu.Group(Bench.CLIENT,
						() -> java.util.OptionalLong.of(ProcessHandle.current().pid()), false));
		Hops hops = new Hops(new ProcessCpu(groups), both, this.warmup, this.duration, this.runs, this.connections,
				(run.isPresent() && this.layers) ? profiler(dir.resolve("run"), outDir) : null);
		try (BareServers bare = new BareServers();
				Platform platform = this.bareOnly ? null : new Platform(dir, this.orders.gatewayUrl())) {
			List<Hops.Target> targets = new ArrayList<>(bareTargets(bare));
			if (platform != null) {
				both.println();
				both.println(platform.placeOrder(this.orders.tokens(dir.resolve("run"))));
				targets.addAll(platform.targets(bare));
			}
			both.printf(
					"%nmeasuring each: %d s warm-up, then %d runs of %d s with one call in flight and %d s with %d%n",
					this.warmup.toSeconds(), this.runs, this.duration.toSeconds(), this.duration.toSeconds(),
					this.connections);
			List<Hops.Result> results = hops.measure(targets);
			Hops.print(results, this.connections, both);
			Hops.charts(results, outDir);
			if (platform != null) {
				platform.printSizes(both);
			}
		}
		Files.writeString(outDir.resolve("report.md"), "# switchboard bench hops\n\n```\n" + transcript + "```\n"
				+ "\n![p50 and p99 of each target](latency.svg)\n"
				+ (Files.exists(outDir.resolve("layers.svg")) ? "\n![CPU per call by layer](layers.svg)\n" : ""));
		System.out.printf("report: %s%n", outDir.resolve("report.md"));
		return 0;
	}

	/**
	 * Profiles a service of the platform on {@code runDir}, its recordings kept in
	 * {@code outDir}.
	 */
	private static Hops.Profiler profiler(Path runDir, Path outDir) {
		return new Hops.Profiler() {
			private int recordings;

			@Override
			public void start(String service) throws Exception {
				Layers.start(pid(service), "bench-hops");
			}

			@Override
			public Map<String, Double> stop(String service) throws Exception {
				Path file = outDir.resolve("profile-" + (++this.recordings) + "-" + service + ".jfr");
				Layers.stop(pid(service), "bench-hops", file);
				return Layers.shares(file);
			}

			private long pid(String service) throws IOException {
				return Long.parseLong(Files.readAllLines(RunningServices.pidFile(runDir, service)).getFirst().strip());
			}
		};
	}

	private List<Hops.Target> bareTargets(BareServers bare) {
		List<Hops.Target> targets = new ArrayList<>();
		SSLContext tls = bare.clientTls();
		for (int size : this.payloads) {
			byte[] payload = new byte[size];
			String b = " " + Hops.bytes(size);
			targets.add(new Hops.Target("tcp echo" + b, "raw TCP socket, length-prefixed echo", "", size,
					() -> bare.tcpCaller(payload)));
			targets.add(new Hops.Target("grpc echo" + b, "bare grpc-java (Netty), unary, plain text", "tcp echo" + b,
					size, () -> bare.grpcCaller(payload, false)));
			targets.add(new Hops.Target("grpc echo mtls" + b, "bare grpc-java (Netty), unary, mutual TLS",
					"grpc echo" + b, size, () -> bare.grpcCaller(payload, true)));
			targets.add(new Hops.Target("http echo tomcat" + b, "bare Tomcat servlet, HTTP/1.1 POST, plain text",
					"tcp echo" + b, size, Hops.http(URI.create(bare.tomcatUrl(false)), payload, Map.of(), null)));
			targets.add(new Hops.Target("http echo tomcat mtls" + b, "bare Tomcat servlet, HTTP/1.1 POST, mutual TLS",
					"http echo tomcat" + b, size, Hops.http(URI.create(bare.tomcatUrl(true)), payload, Map.of(), tls)));
			targets.add(new Hops.Target("http echo netty" + b, "bare Netty handler, HTTP/1.1 POST, plain text",
					"tcp echo" + b, size, Hops.http(URI.create(bare.nettyUrl()), payload, Map.of(), null)));
		}
		return targets;
	}

	/** The running platform's hops, called as the gateway would call them. */
	private static final class Platform implements AutoCloseable {

		private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");

		private final Path runDir;

		private final String gateway;

		private final SSLContext asGateway;

		private final Path identity;

		private final Path orderIdentity;

		private final SSLContext asOrder;

		private final Path trust;

		private final List<ManagedChannel> channels = new ArrayList<>();

		private String token;

		private String orderId;

		private byte[] orderJson;

		private byte[] createJson;

		Platform(Path dataDir, String gateway) {
			this.runDir = dataDir.resolve("run");
			if (!OperatorHttp.secure(this.runDir)) {
				throw new IllegalStateException("bench hops calls the services as the gateway, with its certificate: "
						+ "start the platform with mutual TLS (the default, not --mtls off)");
			}
			this.gateway = gateway;
			this.identity = ServiceCertificates.identityFile(this.runDir, "gateway");
			this.trust = ServiceCertificates.trustFile(this.runDir);
			this.asGateway = CertificateAuthority.tlsContext(this.identity, this.trust);
			this.orderIdentity = ServiceCertificates.identityFile(this.runDir, "order");
			this.asOrder = CertificateAuthority.tlsContext(this.orderIdentity, this.trust);
		}

		/** Places one order, waits for it to complete: the order the reads read. */
		String placeOrder(AccessTokens tokens) throws Exception {
			this.token = tokens.token();
			this.createJson = """
					{"items":[{"sku":"SKU-0001","quantity":2},{"sku":"SKU-0002","quantity":1}],"paymentToken":"tok_visa",\
					"shippingAddress":{"country":"US","city":"Austin","line1":"1 Main St","postalCode":"78701"}}"""
				.getBytes(StandardCharsets.UTF_8);
			try (HttpClient http = HttpClient.newHttpClient()) {
				HttpResponse<String> created = http
					.send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/v1/orders"))
						.header("Authorization", "Bearer " + this.token)
						.header("Content-Type", "application/json")
						.header("Idempotency-Key", "bench-hops-" + System.nanoTime())
						.POST(HttpRequest.BodyPublishers.ofByteArray(this.createJson))
						.build(), HttpResponse.BodyHandlers.ofString());
				Matcher id = ORDER_ID.matcher(created.body());
				if (created.statusCode() != 201 || !id.find()) {
					throw new IllegalStateException(
							"the gateway did not take the order: " + created.statusCode() + " " + created.body());
				}
				this.orderId = id.group(1);
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
				while (true) {
					HttpResponse<byte[]> read = http
						.send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/v1/orders/" + this.orderId))
							.header("Authorization", "Bearer " + this.token)
							.build(), HttpResponse.BodyHandlers.ofByteArray());
					this.orderJson = read.body();
					if (new String(read.body(), StandardCharsets.UTF_8).contains("\"COMPLETED\"")) {
						return "order " + this.orderId + " placed and completed: the order the reads below read";
					}
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("order " + this.orderId + " did not complete in 60 s");
					}
					Thread.sleep(200);
				}
			}
		}

		List<Hops.Target> targets(BareServers bare) throws IOException {
			int analytics = Integer
				.parseInt(Files.readString(RunningServices.portFile(this.runDir, "analytics")).strip());
			URI summary = OperatorHttp.uri(this.runDir, analytics, "/summary");
			int orderGrpc = new Ports(this.runDir.getParent()).known("order.grpc");
			int inventoryGrpc = new Ports(this.runDir.getParent()).known("inventory.grpc");
			int analyticsGrpc = new Ports(this.runDir.getParent()).known("analytics.grpc");
			Map<String, String> bearer = Map.of("Authorization", "Bearer " + this.token);
			GetOrderRequest getOrder = GetOrderRequest.newBuilder().setOrderId(this.orderId).build();
			GetProductRequest getProduct = GetProductRequest.newBuilder().setSku("SKU-0001").build();
			int inventory = Integer
				.parseInt(Files.readString(RunningServices.portFile(this.runDir, "inventory")).strip());
			int order = Integer.parseInt(Files.readString(RunningServices.portFile(this.runDir, "order")).strip());
			// The gateway's route goes the way its order edge is set (up --edge
			// gateway-order=rest): compared with that transport's direct call.
			boolean restOrder = PlatformRun.edges(this.runDir).contains("gateway-order=rest");
			CheckAndReserveRequest reserve = CheckAndReserveRequest.newBuilder()
				.setOrderId(this.orderId)
				.setAttemptId("bench-hops")
				.addLines(Line.newBuilder().setSku("SKU-0001").setQuantity(2))
				.addLines(Line.newBuilder().setSku("SKU-0002").setQuantity(1))
				.build();
			byte[] reserveJson = """
					{"attemptId":"bench-hops","lines":[{"sku":"SKU-0001","quantity":2},{"sku":"SKU-0002","quantity":1}]}"""
				.getBytes(StandardCharsets.UTF_8);
			return List.of(
					new Hops.Target(DIRECT_REST, "GET /summary on analytics' port, mutual TLS as the gateway",
							"http echo tomcat mtls 64 B", -1, Hops.http(summary, null, Map.of(), this.asGateway),
							List.of("analytics")),
					// The same read over gRPC (the gateway's edge with --edge
					// gateway-analytics=grpc), against the REST one.
					new Hops.Target("analytics (gRPC, direct)",
							"GetSummary on analytics' gRPC port, mutual TLS as the gateway", DIRECT_REST, -1, () -> {
								ManagedChannel channel = channel(PlatformRun.host(this.runDir), analyticsGrpc);
								AnalyticsServiceGrpc.AnalyticsServiceBlockingStub stub = AnalyticsServiceGrpc
									.newBlockingStub(channel);
								return caller(channel, () -> stub.withDeadlineAfter(5, TimeUnit.SECONDS)
									.getSummary(GetSummaryRequest.getDefaultInstance()));
							}, List.of("analytics")),
					new Hops.Target("gateway -> analytics (REST)",
							"GET /api/v1/analytics/summary at the gateway: token, rate limit, edge, REST hop",
							DIRECT_REST, -1,
							Hops.http(URI.create(this.gateway + "/api/v1/analytics/summary"), null, bearer, null),
							List.of("gateway", "analytics")),
					new Hops.Target(DIRECT_GRPC, "GetOrder on order's gRPC port, mutual TLS as the gateway, the token",
							"grpc echo mtls 64 B", -1, () -> {
								ManagedChannel channel = channel(PlatformRun.host(this.runDir), orderGrpc);
								OrderServiceGrpc.OrderServiceBlockingStub stub = OrderServiceGrpc
									.newBlockingStub(channel)
									.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(authorization()));
								return caller(channel,
										() -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).getOrder(getOrder));
							}, List.of("order")),
					// The same read over order's HTTP binding (the gateway's edge with
					// --edge gateway-order=rest), against the gRPC one.
					new Hops.Target(DIRECT_ORDER_REST,
							"GET /orders/{id} on order's port, mutual TLS as the gateway, the token", DIRECT_GRPC, -1,
							Hops.http(OperatorHttp.uri(this.runDir, order, "/orders/" + this.orderId), null, bearer,
									this.asGateway),
							List.of("order")),
					new Hops.Target(restOrder ? "gateway -> order (REST)" : "gateway -> order (gRPC)",
							"GET /api/v1/orders/{id} at the gateway: token, rate limit, edge, "
									+ (restOrder ? "REST" : "gRPC") + " hop",
							restOrder ? DIRECT_ORDER_REST : DIRECT_GRPC, -1,
							Hops.http(URI.create(this.gateway + "/api/v1/orders/" + this.orderId), null, bearer, null),
							List.of("gateway", "order")),
					new Hops.Target("inventory (gRPC, direct)", "GetProduct on inventory's gRPC port, as the gateway",
							"grpc echo mtls 64 B", -1, () -> {
								ManagedChannel channel = channel(PlatformRun.host(this.runDir), inventoryGrpc,
										this.identity);
								InventoryServiceGrpc.InventoryServiceBlockingStub stub = InventoryServiceGrpc
									.newBlockingStub(channel);
								return caller(channel,
										() -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).getProduct(getProduct));
							}, List.of("inventory")),
					// The same call of the order path both ways, as order makes it: the
					// placed order's reservation asked for again (an insert that finds
					// it,
					// a read), which changes no stock.
					new Hops.Target(RESERVE_GRPC,
							"CheckAndReserve on inventory's gRPC port, as order (--edge " + "order-inventory=grpc)",
							"grpc echo mtls 64 B", -1, () -> {
								ManagedChannel channel = channel(PlatformRun.host(this.runDir), inventoryGrpc,
										this.orderIdentity);
								InventoryServiceGrpc.InventoryServiceBlockingStub stub = InventoryServiceGrpc
									.newBlockingStub(channel);
								return caller(channel,
										() -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).checkAndReserve(reserve));
							}, List.of("inventory")),
					new Hops.Target("inventory reserve (REST)",
							"PUT /reservations/{id} on inventory's port, as order (--edge order-inventory=rest)",
							RESERVE_GRPC, -1,
							Hops.http("PUT", OperatorHttp.uri(this.runDir, inventory, "/reservations/" + this.orderId),
									reserveJson, ContentType.APPLICATION_JSON, Map.of(), this.asOrder),
							List.of("inventory")));
		}

		/** Calls {@code call} on {@code channel}, which it closes when done. */
		private Hops.Caller caller(ManagedChannel channel, Runnable call) {
			return new Hops.Caller() {
				@Override
				public void call() {
					call.run();
				}

				@Override
				public void close() throws InterruptedException {
					channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
					synchronized (Platform.this.channels) {
						Platform.this.channels.remove(channel);
					}
				}
			};
		}

		private Metadata authorization() {
			Metadata headers = new Metadata();
			headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + this.token);
			return headers;
		}

		private ManagedChannel channel(String host, int port) throws IOException {
			return channel(host, port, this.identity);
		}

		/** A channel to {@code port} as the service whose identity file is given. */
		private ManagedChannel channel(String host, int port, Path identity) throws IOException {
			ChannelCredentials credentials = TlsChannelCredentials.newBuilder()
				.keyManager(identity.toFile(), identity.toFile())
				.trustManager(this.trust.toFile())
				.build();
			ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, credentials).build();
			synchronized (this.channels) {
				this.channels.add(channel);
			}
			return channel;
		}

		/**
		 * The sizes of the order placed, as the client sends and reads it (JSON) and as
		 * the gateway and the order service exchange it (protobuf), with and without
		 * gzip.
		 */
		void printSizes(PrintStream out) throws Exception {
			int orderGrpc = new Ports(this.runDir.getParent()).known("order.grpc");
			ManagedChannel channel = channel(PlatformRun.host(this.runDir), orderGrpc);
			Order order = OrderServiceGrpc.newBlockingStub(channel)
				.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(authorization()))
				.withDeadlineAfter(5, TimeUnit.SECONDS)
				.getOrder(GetOrderRequest.newBuilder().setOrderId(this.orderId).build());
			CreateOrderRequest create = CreateOrderRequest.newBuilder()
				.addLines(OrderLine.newBuilder().setSku("SKU-0001").setQuantity(2))
				.addLines(OrderLine.newBuilder().setSku("SKU-0002").setQuantity(1))
				.setPaymentToken("tok_visa")
				.setShippingAddress(Address.newBuilder()
					.setCountry("US")
					.setCity("Austin")
					.setLine1("1 Main St")
					.setPostalCode("78701"))
				.build();
			out.printf("%nmessage sizes (bytes; gzip level 6):%n");
			out.printf("  %-34s %8s %8s %10s %10s %10s%n", "message", "JSON", "gzipped", "protobuf", "gzipped",
					"JSON/proto");
			size(out, "place an order (request)", this.createJson, create.toByteArray());
			size(out, "an order, completed (GET answer)", this.orderJson, order.toByteArray());
		}

		private static void size(PrintStream out, String name, byte[] json, byte[] protobuf) {
			out.printf("  %-34s %8d %8d %10d %10d %9.1fx%n", name, json.length, Hops.gzipped(json), protobuf.length,
					Hops.gzipped(protobuf), (double) json.length / protobuf.length);
		}

		@Override
		public void close() throws InterruptedException {
			for (ManagedChannel channel : this.channels) {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}

	}

}
