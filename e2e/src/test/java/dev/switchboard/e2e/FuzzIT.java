package dev.switchboard.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.switchboard.embedded.CertificateAuthority;
import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.InternalChannels;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.ServiceCertificates;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input, generated: thousands of requests to every public route, built from jqwik
 * generators with a fixed seed (so a failure can be replayed:
 * {@code -Dswitchboard.fuzz.seed}, {@code -Dswitchboard.fuzz.requests}), with malformed
 * and truncated JSON, values of the wrong type, huge and deeply nested values, unicode
 * edge cases (lone surrogates, control characters, invalid UTF-8), odd paths and methods,
 * and bad headers and tokens. No answer may be a 5xx, every error is
 * {@code application/problem+json} (the token endpoint's errors are OAuth2's JSON, as its
 * standard says), no service restarts, and the gateway's breakers are closed afterwards:
 * bad input is the client's mistake and must never look like the platform failing.
 */
@PlatformTest
@Order(5)
class FuzzIT {

	private static final long SEED = Long.getLong("switchboard.fuzz.seed", 20261202L);

	private static final int REQUESTS = Integer.getInteger("switchboard.fuzz.requests", 5_000);

	private static final List<String> SERVICES = List.of("gateway", "identity", "order", "inventory", "payment",
			"shipping", "notification", "analytics");

	private static final Pattern ORDER_ID = Pattern.compile("\"orderId\":\"([0-9a-f-]{36})\"");

	private static final String VALID_ORDER = """
			{"items":[{"sku":"SKU-0091","quantity":1}],"paymentToken":"tok_visa",\
			"shippingAddress":{"country":"US","city":"Austin","line1":"1 Main St","postalCode":"78701"}}""";

	/** Where a value may go in an order: each path's original text in VALID_ORDER. */
	private static final List<String> ORDER_VALUES = List.of("[{\"sku\":\"SKU-0091\",\"quantity\":1}]", "\"SKU-0091\"",
			"1", "\"tok_visa\"", "\"US\"", "\"Austin\"", "\"1 Main St\"", "\"78701\"",
			"{\"country\":\"US\",\"city\":\"Austin\",\"line1\":\"1 Main St\",\"postalCode\":\"78701\"}");

	/** Texts that have broken parsers, encoders and databases before. */
	private static final Arbitrary<String> NASTY = Arbitraries.of("", " ", "null", "\u0000", "\uD800", "\uDFFF",
			"\uD83D\uDE00", "\u202E", "e\u0301", "\uFEFF", "\u2028", "\u0085", "%00", "%", "%zz", "../../etc/passwd",
			"' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "SKU-0001", "9".repeat(400), "-0",
			"1e309", "NaN", "\\", "\"", "{", "}", "[]", "\r\n", "\t");

	private static final Arbitrary<String> TEXT = Arbitraries.oneOf(NASTY, Arbitraries.strings().all().ofMaxLength(40),
			Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(5),
			Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(300));

	private static final Arbitrary<String> NUMBER = Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf),
			Arbitraries.longs().map(String::valueOf), Arbitraries.doubles().map(String::valueOf),
			Arbitraries.bigIntegers()
				.between(java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30))
				.map(String::valueOf),
			Arbitraries.of("1.0", "1e2", "-1", "0", "1E400", "-0.0", "0x10", "01", "+1", ".5"));

	private final Random random = new Random(SEED);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	@Order(10)
	void thousandsOfMalformedRequestsGetNo5xxOnlyProblemsAndDisturbNothing() throws Exception {
		Map<String, Long> pids = new HashMap<>();
		SERVICES.forEach((service) -> pids.put(service, platform.pid(service)));
		String gateway = platform.gatewayUrl();
		// The load client: no rate limit to meet, so every request is judged on its
		// input.
		Map<String, String> tokens = Map.of("full",
				new AccessTokens(gateway, platform.loadClient(), AccessTokens.ALL_SCOPES).token(), "read",
				new AccessTokens(gateway, platform.loadClient(), "orders:read").token());
		List<HttpRequest> requests = new ArrayList<>();
		// Generators outside a jqwik property run in a session of their own.
		JqwikSession.start(Long.toString(SEED));
		try {
			while (requests.size() < REQUESTS) {
				HttpRequest request = request(gateway, tokens);
				if (request != null) {
					requests.add(request);
				}
			}
		}
		finally {
			JqwikSession.finish();
		}

		long sending = System.nanoTime();
		Queue<String> wrong = new ConcurrentLinkedQueue<>();
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		// Four at a time: enough to keep the gateway busy, not so many that the platform
		// is overloaded and answers 503 (which, with a deadline, a read under load may).
		try (ExecutorService senders = Executors.newFixedThreadPool(4, Thread.ofVirtual().factory())) {
			List<Future<?>> sent = new ArrayList<>();
			for (HttpRequest request : requests) {
				sent.add(senders.submit(() -> judge(request, wrong, statuses)));
			}
			for (Future<?> future : sent) {
				future.get();
			}
		}

		System.out.printf("FuzzIT: %d requests (seed %d) in %.0f s, answers by status %s%n", requests.size(), SEED,
				(System.nanoTime() - sending) / 1e9, statuses);
		assertThat(wrong).as("answers that are a 5xx or an error that is not problem+json (seed %d)", SEED).isEmpty();
		assertThat(statuses.keySet()).as("the inputs reach past validation, too").contains(201, 400, 401, 404);
		pids.forEach(
				(service, pid) -> assertThat(platform.pid(service)).as(service + " did not restart").isEqualTo(pid));
		get(management("gateway", "/actuator/resilience")).json()
			.path("edges")
			.properties()
			.forEach((edge) -> assertThat(edge.getValue().path("breakerState").asString())
				.as("the gateway's breaker to " + edge.getKey())
				.isEqualTo("CLOSED"));
		String after = place("SKU-0092", 1, "tok_visa", "US", "COMPLETED");
		assertThat(awaitTerminal(after).get("status").asText()).isEqualTo("COMPLETED");
	}

	/**
	 * Every method of every gRPC service, called directly (past the gateway) with bytes
	 * that are not its request message: each call is refused with a status that names the
	 * problem, never UNKNOWN (an exception nobody handled) and never an INTERNAL other
	 * than gRPC's own "Invalid protobuf byte sequence"; the order service, which wants a
	 * token, gets a valid one, so that the bytes are what is judged.
	 */
	@Test
	@Order(20)
	void malformedProtobufOnEveryGrpcMethodIsRefusedWithItsReason() throws Exception {
		Map<String, Long> pids = new HashMap<>();
		SERVICES.forEach((service) -> pids.put(service, platform.pid(service)));
		String token = new AccessTokens(platform.gatewayUrl(), platform.loadClient(), AccessTokens.ALL_SCOPES).token();
		Ports ports = new Ports(dataDir);
		Map<String, io.grpc.ServiceDescriptor> services = Map.of("order",
				dev.switchboard.contracts.order.v1.OrderServiceGrpc.getServiceDescriptor(), "inventory",
				dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc.getServiceDescriptor());
		List<String> wrong = new ArrayList<>();
		int calls = 0;
		CertificateAuthority authority = CertificateAuthority.open(platform.certificateAuthority());
		for (Map.Entry<String, io.grpc.ServiceDescriptor> service : services.entrySet()) {
			for (io.grpc.MethodDescriptor<?, ?> method : service.getValue().getMethods()) {
				// As the caller the access policy lets through: the bytes are what is
				// judged.
				String caller = (service.getKey().equals("order")
						|| method.getFullMethodName().matches(".*/(ListProducts|GetProduct|WatchProducts)")) ? "gateway"
								: "order";
				java.nio.file.Path identity = dataDir.resolve("fuzz-" + caller + ".pem");
				authority.issue(caller, Duration.ofMinutes(10)).writeTo(identity);
				io.grpc.ManagedChannel channel = io.grpc.Grpc
					.newChannelBuilderForAddress("127.0.0.1", ports.known(service.getKey() + ".grpc"), InternalChannels
						.credentials(identity, ServiceCertificates.trustFile(dataDir.resolve("run"))))
					.build();
				io.grpc.Metadata bearer = new io.grpc.Metadata();
				bearer.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
						"Bearer " + token);
				io.grpc.Channel authorised = io.grpc.ClientInterceptors.intercept(channel,
						io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(bearer));
				try {
					io.grpc.MethodDescriptor<byte[], byte[]> raw = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
						.setType(method.getType())
						.setFullMethodName(method.getFullMethodName())
						.setRequestMarshaller(RAW)
						.setResponseMarshaller(RAW)
						.build();
					for (int i = 0; i < 50; i++) {
						calls++;
						byte[] payload = malformedProtobuf();
						try {
							io.grpc.stub.ClientCalls.blockingUnaryCall(authorised, raw,
									io.grpc.CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)), payload);
							wrong.add(method.getFullMethodName() + " accepted "
									+ java.util.HexFormat.of().formatHex(payload));
						}
						catch (io.grpc.StatusRuntimeException ex) {
							io.grpc.Status status = ex.getStatus();
							boolean named = status.getDescription() != null && !status.getDescription().isBlank();
							if (status.getCode() == io.grpc.Status.Code.UNKNOWN
									|| status.getCode() == io.grpc.Status.Code.INTERNAL
									|| status.getCode() == io.grpc.Status.Code.PERMISSION_DENIED || !named) {
								wrong.add(method.getFullMethodName() + " -> " + status);
							}
						}
					}
				}
				finally {
					channel.shutdownNow();
				}
			}
		}
		assertThat(calls).isGreaterThanOrEqualTo(450);
		assertThat(wrong).as("calls not refused with their reason").isEmpty();
		pids.forEach(
				(service, pid) -> assertThat(platform.pid(service)).as(service + " did not restart").isEqualTo(pid));
	}

	/**
	 * A record that is not its message on every topic the platform consumes (events,
	 * commands, replies, and the work queue on Kafka): every consumer group that reads
	 * the topic dead-letters it with the reason, and the platform goes on.
	 */
	@Test
	@Order(30)
	void malformedRecordsOnEveryTopicAreDeadLetteredWithTheirReasonByEveryConsumer() throws Exception {
		Map<String, Long> pids = new HashMap<>();
		SERVICES.forEach((service) -> pids.put(service, platform.pid(service)));
		List<String> topics = new ArrayList<>(
				dev.switchboard.contracts.events.Topics.ALL.stream().map((t) -> t.name()).toList());
		Map<String, String> deadLetters = new HashMap<>();
		try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin
			.create(platform.kafkaClient(Map.of()))) {
			java.util.Set<String> existing = admin.listTopics().names().get();
			for (String topic : topics) {
				existing.stream()
					.filter((name) -> name.startsWith(topic + ".") && name.endsWith(".dlt"))
					.forEach((name) -> deadLetters.put(name, topic));
			}
			String queue = dev.switchboard.contracts.queues.Queues.PAYMENT_COMMANDS.name();
			if (existing.contains(dev.switchboard.contracts.queues.Queues.PAYMENT_COMMANDS.deadLetterName())) {
				topics.add(queue);
				deadLetters.put(dev.switchboard.contracts.queues.Queues.PAYMENT_COMMANDS.deadLetterName(), queue);
			}
		}
		// The topics read in this saga mode (the choreography topic is read only in the
		// other).
		topics.retainAll(deadLetters.values());
		assertThat(topics).as("topics with consumers, each with a dead-letter topic per consumer group")
			.contains(dev.switchboard.contracts.events.Topics.ORDER_EVENTS,
					dev.switchboard.contracts.events.Topics.PAYMENT_EVENTS,
					dev.switchboard.contracts.events.Topics.INVENTORY_EVENTS,
					dev.switchboard.contracts.events.Topics.SHIPPING_EVENTS,
					dev.switchboard.contracts.events.Topics.INVENTORY_COMMANDS,
					dev.switchboard.contracts.events.Topics.SHIPPING_COMMANDS,
					dev.switchboard.contracts.events.Topics.SAGA_REPLIES);

		// Each consumer handles some of the types on its topic and skips the rest; one
		// record of every type the platform has, on every topic, reaches each with one it
		// handles.
		java.util.Set<String> ids = ConcurrentHashMap.newKeySet();
		List<String> types = new ArrayList<>();
		for (com.google.protobuf.Descriptors.FileDescriptor file : List.of(
				dev.switchboard.contracts.events.v1.OrderCreated.getDescriptor().getFile(),
				dev.switchboard.contracts.saga.v1.ChargePayment.getDescriptor().getFile(),
				dev.switchboard.contracts.notification.v1.DeliverWebhook.getDescriptor().getFile())) {
			file.getMessageTypes().forEach((type) -> types.add(type.getFullName()));
		}
		try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
				platform.kafkaClient(Map.of()), new org.apache.kafka.common.serialization.StringSerializer(),
				new org.apache.kafka.common.serialization.ByteArraySerializer())) {
			for (String topic : topics) {
				for (String type : types) {
					String id = java.util.UUID.randomUUID().toString();
					ids.add(id);
					org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record = new org.apache.kafka.clients.producer.ProducerRecord<>(
							topic, java.util.UUID.randomUUID().toString(), malformedProtobuf());
					record.headers()
						.add("ce_id", id.getBytes(StandardCharsets.UTF_8))
						.add("ce_type", type.getBytes(StandardCharsets.UTF_8))
						.add("ce_source", "fuzz".getBytes(StandardCharsets.UTF_8))
						.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
						.add("ce_time", java.time.Instant.now().toString().getBytes(StandardCharsets.UTF_8))
						.add("ce_subject", record.key().getBytes(StandardCharsets.UTF_8));
					producer.send(record);
				}
			}
			producer.flush();
		}

		Map<String, String> reasons = new ConcurrentHashMap<>();
		try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> reader = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
				platform.kafkaClient(Map.of("auto.offset.reset", "earliest")),
				new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
				new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
			List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
			deadLetters.keySet()
				.forEach((dlt) -> reader.partitionsFor(dlt)
					.forEach((p) -> partitions.add(new org.apache.kafka.common.TopicPartition(dlt, p.partition()))));
			reader.assign(partitions);
			reader.seekToBeginning(partitions);
			await().atMost(TERMINAL).until(() -> {
				for (var record : reader.poll(Duration.ofMillis(500))) {
					String id = header(record, "ce_id");
					if (id != null && ids.contains(id)) {
						String reason = header(record, "kafka_dlt-exception-message");
						reasons.put(record.topic(),
								(reason != null) ? reason : String.valueOf(header(record, "dlq-reason")));
					}
				}
				// Every topic has a consumer that dead-lettered one of its records; a
				// consumer
				// skips the types it does not read at all.
				return reasons.keySet()
					.stream()
					.map(deadLetters::get)
					.collect(java.util.stream.Collectors.toSet())
					.containsAll(topics);
			}, (done) -> {
				if (!done) {
					System.out
						.println("FuzzIT: dead-lettered so far in " + reasons.keySet() + " of " + deadLetters.keySet());
				}
				return done;
			});
		}
		reasons
			.forEach((dlt, reason) -> assertThat(reason).as("the reason in " + dlt).isNotBlank().isNotEqualTo("null"));
		pids.forEach(
				(service, pid) -> assertThat(platform.pid(service)).as(service + " did not restart").isEqualTo(pid));
		String after = place("SKU-0093", 1, "tok_visa", "US", "COMPLETED");
		assertThat(awaitTerminal(after).get("status").asText()).isEqualTo("COMPLETED");
	}

	private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> record, String name) {
		org.apache.kafka.common.header.Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	/**
	 * Bytes no protobuf parser accepts: they start with a tag of field number 0, which no
	 * message has, then anything.
	 */
	private byte[] malformedProtobuf() {
		byte[] bytes = new byte[1 + this.random.nextInt(64)];
		this.random.nextBytes(bytes);
		bytes[0] = (byte) (this.random.nextInt(8));
		return bytes;
	}

	private static final io.grpc.MethodDescriptor.Marshaller<byte[]> RAW = new io.grpc.MethodDescriptor.Marshaller<>() {

		@Override
		public java.io.InputStream stream(byte[] value) {
			return new java.io.ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(java.io.InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}

	};

	private void judge(HttpRequest request, Queue<String> wrong, Map<Integer, AtomicInteger> statuses) {
		HttpResponse<String> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			wrong.add(describe(request) + " -> no answer: " + ex);
			return;
		}
		int status = response.statusCode();
		statuses.computeIfAbsent(status, (s) -> new AtomicInteger()).incrementAndGet();
		String type = response.headers().firstValue("Content-Type").orElse("");
		boolean tokenEndpoint = request.uri().getRawPath().startsWith("/oauth2/");
		if (status >= 500) {
			wrong.add(describe(request) + " -> " + status + " " + abbreviate(response.body()));
		}
		else if (status >= 400 && !(status == 405 && request.method().equals("TRACE"))
				&& !type.startsWith("application/problem+json")
				&& !(tokenEndpoint && type.startsWith("application/json")) && !request.method().equals("HEAD")) {
			wrong.add(describe(request) + " -> " + status + " as " + type + ": " + abbreviate(response.body()));
		}
		else if (status == 201) {
			Matcher id = ORDER_ID.matcher(response.body());
			if (id.find()) {
				expected.put(id.group(1), "TERMINAL");
			}
		}
	}

	/** One request, or null when the HTTP client refuses to send what was drawn. */
	private HttpRequest request(String gateway, Map<String, String> tokens) {
		int route = this.random.nextInt(100);
		String method;
		String path;
		byte[] body = null;
		if (route < 45) {
			method = "POST";
			path = "/api/v1/orders";
			body = orderBody();
		}
		else if (route < 60) {
			method = "GET";
			path = pick("/api/v1/orders/", "/api/v1/products/") + segment()
					+ pick("", "", "", "/saga", "/notifications", "/" + segment());
		}
		else if (route < 68) {
			method = "POST";
			path = "/oauth2/token";
			body = form();
		}
		else if (route < 75) {
			method = "GET";
			path = pick("/api/v1/products", "/api/v1/analytics/summary", "/oauth2/jwks", "/actuator/health",
					"/.well-known/oauth-protected-resource");
		}
		else {
			method = pick("GET", "PUT", "DELETE", "PATCH", "POST", "OPTIONS", "HEAD", "TRACE");
			path = pick("/api/v1/", "/api/v2/", "/internal/", "/admin/", "/actuator/", "/oauth2/", "/",
					"/api/v1/orders/") + segment();
			body = this.random.nextBoolean() ? orderBody() : null;
		}
		try {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path))
				.timeout(Duration.ofSeconds(30))
				.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
						: HttpRequest.BodyPublishers.noBody());
			headers(request, tokens, path);
			return request.build();
		}
		catch (IllegalArgumentException ex) {
			// A header or URI the client itself will not send (a control character, a
			// space): no server ever sees it.
			return null;
		}
	}

	private void headers(HttpRequest.Builder request, Map<String, String> tokens, String path) {
		int auth = this.random.nextInt(10);
		if (auth < 5) {
			request.header("Authorization", "Bearer " + tokens.get("full"));
		}
		else if (auth == 5) {
			request.header("Authorization", "Bearer " + tokens.get("read"));
		}
		else if (auth == 6) {
			request.header("Authorization", pick("Bearer ", "Bearer", "Basic ", "bearer ", "", "Token ") + draw(TEXT));
		}
		else if (auth == 7) {
			// A real token, damaged: a signature that no longer matches.
			String token = tokens.get("full");
			int at = this.random.nextInt(token.length());
			request.header("Authorization", "Bearer " + token.substring(0, at) + (char) ('A' + this.random.nextInt(26))
					+ token.substring(at + 1));
		}
		else if (auth == 8 && path.startsWith("/oauth2/")) {
			request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
				.encodeToString((draw(TEXT) + ":" + draw(TEXT)).getBytes(StandardCharsets.UTF_8)));
		}
		int type = this.random.nextInt(10);
		if (type < 6) {
			request.header("Content-Type",
					path.startsWith("/oauth2/") ? "application/x-www-form-urlencoded" : "application/json");
		}
		else if (type < 9) {
			request.header("Content-Type", pick("text/plain", "application/json; charset=ISO-8859-1", "application/xml",
					"multipart/form-data", "application/json; charset=nonsense", "*/*", ";;"));
		}
		if (this.random.nextInt(4) == 0) {
			request.header("Idempotency-Key", draw(TEXT));
		}
		if (this.random.nextInt(6) == 0) {
			request.header("Accept", pick("application/xml", "text/html", "*/*", "application/problem+json",
					"image/png", "application/json;q=0"));
		}
	}

	private byte[] orderBody() {
		int kind = this.random.nextInt(100);
		String json;
		if (kind < 2) {
			// Valid: placed, and followed to its end by the invariants.
			json = VALID_ORDER.replace("SKU-0091", pick("SKU-0091", "SKU-0093", "SKU-0094"));
		}
		else if (kind < 40) {
			// One value replaced by another of any kind.
			String at = pick(ORDER_VALUES.toArray(String[]::new));
			json = VALID_ORDER.replaceFirst(Pattern.quote(at), Matcher.quoteReplacement(value(3)));
		}
		else if (kind < 50) {
			// A field missing, unknown, or given twice.
			String[] fields = { "\"items\":", "\"paymentToken\":", "\"shippingAddress\":", "\"sku\":", "\"quantity\":",
					"\"country\":", "\"city\":" };
			String field = pick(fields);
			json = switch (this.random.nextInt(3)) {
				case 0 -> VALID_ORDER.replace(field, "\"x" + this.random.nextInt(9) + "\":");
				case 1 -> "{" + field + value(1) + "," + VALID_ORDER.substring(1);
				default -> "{\"" + draw(TEXT).replace("\"", "") + "\":" + value(2) + "," + VALID_ORDER.substring(1);
			};
		}
		else if (kind < 60) {
			json = VALID_ORDER.substring(0, this.random.nextInt(VALID_ORDER.length()));
		}
		else if (kind < 68) {
			// Deep nesting, beyond any sane limit.
			int depth = 1 + this.random.nextInt(3000);
			String open = pick("[", "{\"a\":");
			json = open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth);
		}
		else if (kind < 70) {
			// Huge: just under and over the body limit.
			json = VALID_ORDER.replace("Austin", "A".repeat(60_000 + this.random.nextInt(10_000)));
		}
		else if (kind < 80) {
			byte[] bytes = new byte[this.random.nextInt(300)];
			this.random.nextBytes(bytes);
			return bytes;
		}
		else if (kind < 86) {
			// Invalid UTF-8 inside an otherwise valid order.
			byte[] bytes = VALID_ORDER.getBytes(StandardCharsets.UTF_8);
			int at = VALID_ORDER.indexOf("Austin");
			bytes[at] = (byte) (int) pick(0xC3, 0xFF, 0xED, 0x80, 0xF8);
			return bytes;
		}
		else {
			json = value(4);
		}
		return json.getBytes(StandardCharsets.UTF_8);
	}

	/** A JSON value of any kind, nested up to {@code depth}. */
	private String value(int depth) {
		int kind = this.random.nextInt(depth > 0 ? 8 : 5);
		return switch (kind) {
			case 0 -> "null";
			case 1 -> pick("true", "false");
			case 2 -> draw(NUMBER);
			case 3, 4 -> quote(draw(TEXT));
			case 5 -> "[" + String.join(",", values(depth - 1)) + "]";
			default -> {
				List<String> members = new ArrayList<>();
				for (String value : values(depth - 1)) {
					members.add(quote(pick("sku", "quantity", "items", "country", draw(TEXT))) + ":" + value);
				}
				yield "{" + String.join(",", members) + "}";
			}
		};
	}

	private List<String> values(int depth) {
		List<String> values = new ArrayList<>();
		for (int i = this.random.nextInt(4); i > 0; i--) {
			values.add(value(depth));
		}
		return values;
	}

	private byte[] form() {
		List<String> fields = new ArrayList<>();
		if (this.random.nextInt(3) > 0) {
			fields.add("grant_type="
					+ pick("client_credentials", "password", "authorization_code", "", "%zz", encode(draw(TEXT))));
		}
		if (this.random.nextBoolean()) {
			fields.add("scope=" + pick("orders:read", "orders:read%20orders:write", "admin", "", encode(draw(TEXT))));
		}
		if (this.random.nextInt(4) == 0) {
			fields.add(encode(draw(TEXT)) + "=" + encode(draw(TEXT)));
		}
		return String.join("&", fields).getBytes(StandardCharsets.UTF_8);
	}

	private String segment() {
		return switch (this.random.nextInt(4)) {
			case 0 -> java.util.UUID.randomUUID().toString();
			case 1 -> "SKU-00" + this.random.nextInt(200);
			default -> encode(draw(TEXT));
		};
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String quote(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (c < 0x20) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

	private <T> T draw(Arbitrary<T> arbitrary) {
		return arbitrary.generator(1000).next(this.random).value();
	}

	@SafeVarargs
	private <T> T pick(T... choices) {
		return choices[this.random.nextInt(choices.length)];
	}

	private static String describe(HttpRequest request) {
		return request.method() + " " + abbreviate(request.uri().getRawPath()) + " "
				+ abbreviate(request.headers().map().toString());
	}

	private static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "..." : text;
	}

}
