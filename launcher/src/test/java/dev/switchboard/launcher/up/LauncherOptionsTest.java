package dev.switchboard.launcher.up;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.launcher.DurationConverter;
import dev.switchboard.launcher.fault.FaultCommand;
import dev.switchboard.launcher.platform.Databases;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.platform.ServiceSpec;
import dev.switchboard.launcher.platform.Options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LauncherOptionsTest {

	private static final Path HOME = Path.of("/opt/switchboard");

	@Test
	void defaultsToEmbeddedInfrastructureInVarAndGatewayOn8080() {
		Options options = UpCommand.parse(List.of(), Map.of(), HOME);

		assertThat(options.dataDir()).isEqualTo(Path.of("var").toAbsolutePath());
		assertThat(options.kafka()).isEmpty();
		assertThat(options.postgres()).isEmpty();
		assertThat(options.smtp()).isEmpty();
		assertThat(options.gatewayPort()).isEqualTo(8080);
	}

	@Test
	void sagasAreOrchestratedByDefaultAndTheModeAndTimeoutsCanBeChosen() {
		assertThat(UpCommand.parse(List.of(), Map.of(), HOME).saga()).isEqualTo("orchestration");
		assertThat(UpCommand.parse(List.of(), Map.of("SWITCHBOARD_SAGA", "choreography"), HOME).saga())
			.isEqualTo("choreography");

		Options options = UpCommand.parse(
				List.of("--saga", "choreography", "--saga-timeout", "charge=3s", "--saga-timeout", "ship=500ms"),
				Map.of(), HOME);

		assertThat(options.saga()).isEqualTo("choreography");
		assertThat(options.sagaTimeouts()).containsExactlyInAnyOrderEntriesOf(Map.of("charge", "3s", "ship", "500ms"));
	}

	@Test
	void refusesAnUnknownSagaModeOrMalformedTimeout() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--saga", "magic"), Map.of(), HOME))
			.withMessageContaining("orchestration");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--saga-timeout", "pay=3s"), Map.of(), HOME))
			.withMessageContaining("STEP=DURATION");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--saga-timeout", "charge=soon"), Map.of(), HOME))
			.withMessageContaining("STEP=DURATION");
	}

	@Test
	void killNamesAServiceAndFindsNothingWhereNoPlatformRuns(@org.junit.jupiter.api.io.TempDir Path dir) {
		assertThatIllegalArgumentException().isThrownBy(() -> RunningServices.Target.of("database", dir, true))
			.withMessageContaining("no service named database");
		org.assertj.core.api.Assertions.assertThatIllegalStateException()
			.isThrownBy(() -> RunningServices.signal("kill", RunningServices.Target.of("order", dir, true), System.out))
			.withMessageContaining("no running order");
	}

	@Test
	void faultSaysWhatIsWrongWithItsOptionsBeforeLookingForTheService(@org.junit.jupiter.api.io.TempDir Path dir) {
		String data = dir.toString();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FaultCommand.run(List.of("inventory", "--data-dir", data), System.out))
			.withMessageContaining("--latency, --error-rate, --abort, --duplicate or --reorder");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FaultCommand.run(List.of("order", "--duplicate", "1.5", "--data-dir", data), System.out))
			.withMessageContaining("--duplicate must be a number from 0 to 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FaultCommand
				.run(List.of("order", "--network-delay", "200ms", "--abort", "--data-dir", data), System.out))
			.withMessageContaining("--network-delay takes only --for");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> FaultCommand.run(List.of("inventory", "--error-rate", "2", "--data-dir", data), System.out))
			.withMessageContaining("from 0 to 1");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> FaultCommand.run(List.of("inventory", "--latency", "soon", "--data-dir", data), System.out))
			.withMessageContaining("like 500ms, 30s or 2m");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> FaultCommand.run(List.of("inventory", "--clear", "--abort", "--data-dir", data), System.out))
			.withMessageContaining("take no fault options");
		org.assertj.core.api.Assertions.assertThatIllegalStateException()
			.isThrownBy(() -> FaultCommand.run(List.of("inventory", "--abort", "--data-dir", data), System.out))
			.withMessageContaining("no running inventory");
	}

	@Test
	void delayProxiesAreOffUnlessTurnedOn() {
		assertThat(UpCommand.parse(List.of(), Map.of(), HOME).delayProxies()).isFalse();
		assertThat(UpCommand.parse(List.of("--delay-proxies", "on"), Map.of(), HOME).delayProxies()).isTrue();
		assertThat(UpCommand.parse(List.of(), Map.of("SWITCHBOARD_DELAY_PROXIES", "on"), HOME).delayProxies()).isTrue();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--delay-proxies", "yes"), Map.of(), HOME))
			.withMessageContaining("--delay-proxies must be on or off");
	}

	@Test
	void servicesAuthenticateEachOtherByDefaultWithDailyCertificatesFromTheDataDirectorysAuthority() {
		Options defaults = UpCommand.parse(List.of("--data-dir", "/data"), Map.of(), HOME);
		assertThat(defaults.tls()).isEqualTo(new Options.Tls(true, Path.of("/data/ca"), Duration.ofHours(24)));

		Options chosen = UpCommand.parse(List.of("--ca", "/keys/ca", "--certificate-lifetime", "30s"),
				Map.of("SWITCHBOARD_MTLS", "off"), HOME);
		assertThat(chosen.tls()).isEqualTo(new Options.Tls(false, Path.of("/keys/ca"), Duration.ofSeconds(30)));

		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--mtls", "maybe"), Map.of(), HOME))
			.withMessageContaining("--mtls must be on or off");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--certificate-lifetime", "1d"), Map.of(), HOME))
			.withMessageContaining("like 24h, 90m or 30s");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--certificate-lifetime", "5s"), Map.of(), HOME))
			.withMessageContaining("at least 10s");
	}

	@Test
	void theAdmissionLimitIsAutoOrAWholeNumberFromTheCommandLineOrTheEnvironment() {
		assertThat(UpCommand.parse(List.of(), Map.of(), HOME).maxActiveOrders()).isEqualTo("auto");
		assertThat(UpCommand.parse(List.of(), Map.of("SWITCHBOARD_MAX_ACTIVE_ORDERS", "0"), HOME).maxActiveOrders())
			.isEqualTo("0");
		assertThat(UpCommand.parse(List.of("--max-active-orders", "250"), Map.of(), HOME).maxActiveOrders())
			.isEqualTo("250");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--max-active-orders", "-1"), Map.of(), HOME))
			.withMessageContaining("whole number");
	}

	@Test
	void commandLineWinsOverEnvironment() {
		Options options = UpCommand.parse(
				List.of("--kafka", "broker:9092", "--data-dir", "/data"), Map.of("SWITCHBOARD_KAFKA", "other:9092",
						"SWITCHBOARD_POSTGRES", "jdbc:postgresql://db:5432/postgres", "SWITCHBOARD_SMTP", "mail:25"),
				HOME);

		assertThat(options.kafka()).contains("broker:9092");
		assertThat(options.postgres()).contains("jdbc:postgresql://db:5432/postgres");
		assertThat(options.smtp()).contains("mail:25");
		assertThat(options.dataDir()).isEqualTo(Path.of("/data"));
	}

	@Test
	void refusesUnknownOptionsMissingValuesAndMalformedAddresses() {
		assertThatIllegalArgumentException().isThrownBy(() -> UpCommand.parse(List.of("--nope", "x"), Map.of(), HOME))
			.withMessageContaining("Unknown option")
			.withMessageContaining("--nope");
		assertThatIllegalArgumentException().isThrownBy(() -> UpCommand.parse(List.of("--kafka"), Map.of(), HOME))
			.withMessageContaining("Missing required parameter for option '--kafka'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--postgres", "postgres://db"), Map.of(), HOME))
			.withMessageContaining("jdbc:postgresql://");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--smtp", "mail"), Map.of(), HOME))
			.withMessageContaining("HOST:PORT");
	}

	@Test
	void workQueuesGoToRabbitMqWhenGivenOneAndSingleQueuesCanBeBoundEitherWay() {
		Options defaults = UpCommand.parse(List.of(), Map.of(), HOME);
		assertThat(defaults.rabbitmq()).isEmpty();
		assertThat(defaults.queueBindings()).isEmpty();

		Options options = UpCommand.parse(List.of("--queue-binding", "switchboard.payment.commands=kafka"),
				Map.of("SWITCHBOARD_RABBITMQ", "amqp://guest:guest@rabbit:5672"), HOME);
		assertThat(options.rabbitmq()).contains("amqp://guest:guest@rabbit:5672");
		assertThat(options.queueBindings()).containsExactly(Map.entry("switchboard.payment.commands", "kafka"));
		assertThat(options.bindingOf("switchboard.payment.commands")).isEqualTo("kafka");
		assertThat(options.bindingOf("switchboard.notification.emails")).isEqualTo("rabbitmq");
		assertThat(defaults.bindingOf("switchboard.notification.emails")).isEqualTo("kafka");

		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--rabbitmq", "rabbit:5672"), Map.of(), HOME))
			.withMessageContaining("amqp://");
		assertThatIllegalArgumentException().isThrownBy(
				() -> UpCommand.parse(List.of("--queue-binding", "switchboard.payment.commands=sqs"), Map.of(), HOME))
			.withMessageContaining("[kafka, rabbitmq]");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--queue-binding", "switchboard.payment.commands=rabbitmq"),
					Map.of(), HOME))
			.withMessageContaining("needs --rabbitmq");
	}

	@Test
	void eachServiceGetsItsOwnDatabaseOnTheSameServerWithTheSameParameters() {
		Databases databases = new Databases("jdbc:postgresql://db:5432/postgres?sslmode=require", "app", "secret");

		assertThat(databases.urlOf("switchboard_order"))
			.isEqualTo("jdbc:postgresql://db:5432/switchboard_order?sslmode=require");
		assertThat(new Databases("jdbc:postgresql://db:5432", null, null).urlOf("switchboard_order"))
			.isEqualTo("jdbc:postgresql://db:5432/switchboard_order");
	}

	@Test
	void loadDurationsReadLikeTheyAreWritten() {
		assertThat(DurationConverter.parse("60s")).isEqualTo(Duration.ofSeconds(60));
		assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
		assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
		assertThat(DurationConverter.parse("30")).isEqualTo(Duration.ofSeconds(30));
		assertThatIllegalArgumentException().isThrownBy(() -> DurationConverter.parse("soon"));
	}

	@Test
	void everyServiceButTheGatewayAndIdentityOwnsADatabase() {
		assertThat(ServiceSpec.PLATFORM).extracting(ServiceSpec::name)
			.containsExactly("identity", "inventory", "order", "payment", "shipping", "notification", "analytics",
					"gateway");
		assertThat(ServiceSpec.PLATFORM).filteredOn(ServiceSpec::database).hasSize(6);
		assertThat(Optional.of(ServiceSpec.PLATFORM.getLast()).map(ServiceSpec::calls).orElseThrow())
			.containsExactly("order", "inventory", "notification", "analytics", "shipping", "payment", "identity");
	}

	@Test
	void onJdk25AServiceRunsExtractedWithAnAotCacheTrainedByItsFirstRun(@org.junit.jupiter.api.io.TempDir Path dir)
			throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= ServiceJar.AOT_FEATURE,
				"the AOT cache needs JDK " + ServiceJar.AOT_FEATURE);
		// Built before this module in the reactor; a copy, as the test rewrites its time.
		Path built = Path.of("").toAbsolutePath().getParent().resolve("services/analytics/target/analytics.jar");
		org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(built), "analytics.jar is built");
		Path jar = java.nio.file.Files.copy(built, dir.resolve("analytics.jar"));
		ServiceJar serviceJar = new ServiceJar("analytics", jar, dir);

		List<String> first = serviceJar.arguments();
		assertThat(first).containsExactly("-XX:AOTCacheOutput=" + serviceJar.cache(), "-jar",
				dir.resolve("jvm/analytics/app/analytics.jar").toString());
		assertThat(dir.resolve("jvm/analytics/app/lib")).isNotEmptyDirectory();

		java.nio.file.Files.writeString(serviceJar.cache(), "recorded");
		assertThat(serviceJar.arguments()).first().isEqualTo("-XX:AOTCache=" + serviceJar.cache());

		// A rebuilt jar: extracted again, and trained again.
		java.nio.file.Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
		assertThat(serviceJar.arguments()).first().isEqualTo("-XX:AOTCacheOutput=" + serviceJar.cache());
		assertThat(serviceJar.cache()).doesNotExist();
	}

	@Test
	void serviceJvmOptionsFromTheEnvironmentComeAfterTheDefaultsSoTheyWin() {
		assertThat(UpCommand.parse(List.of(), Map.of(), HOME).serviceJvmOptions()).isEmpty();
		Options options = UpCommand.parse(List.of(),
				Map.of("SWITCHBOARD_SERVICE_JVM_OPTIONS", "  -XX:TieredStopAtLevel=1   -Xmx512m "), HOME);

		assertThat(options.serviceJvmOptions()).containsExactly("-XX:TieredStopAtLevel=1", "-Xmx512m");
		List<String> jvm = ServiceArguments.jvmOptions(options.serviceJvmOptions());
		// The full tiered JIT by default; the user's options come last.
		assertThat(jvm).contains("-Xmx384m").endsWith("-XX:TieredStopAtLevel=1", "-Xmx512m");
		assertThat(jvm.indexOf("-XX:TieredStopAtLevel=1")).isEqualTo(jvm.size() - 2);
	}

	@Test
	void servicesListenOnLoopbackUnlessBoundBeyondItWithMutualTls() {
		Options defaults = UpCommand.parse(List.of(), Map.of(), HOME);
		assertThat(defaults.bind()).isEqualTo(Options.Bind.LOOPBACK);
		assertThat(defaults.bind().loopback()).isTrue();

		Options.Bind everywhere = UpCommand.parse(List.of("--bind", "0.0.0.0"), Map.of(), HOME).bind();
		assertThat(everywhere.wildcard()).isTrue();
		assertThat(everywhere.loopback()).isFalse();
		assertThat(everywhere.host()).as("where this machine's clients connect").isEqualTo("127.0.0.1");
		assertThat(UpCommand.parse(List.of(), Map.of("SWITCHBOARD_BIND", "::"), HOME).bind().wildcard()).isTrue();
		assertThat(UpCommand.parse(List.of("--bind", "[::1]"), Map.of(), HOME).bind().host())
			.isEqualTo("[0:0:0:0:0:0:0:1]");
		assertThat(UpCommand.parse(List.of("--bind", "127.0.0.1", "--mtls", "off"), Map.of(), HOME).bind().loopback())
			.isTrue();

		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--bind", "0.0.0.0", "--mtls", "off"), Map.of(), HOME))
			.withMessageContaining("--bind 0.0.0.0 needs --mtls on");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--bind", "example.com"), Map.of(), HOME))
			.withMessageContaining("--bind must be an IP address");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--bind", "203.0.113.7"), Map.of(), HOME))
			.withMessageContaining("not an address of this machine");
	}

	@Test
	void theAotCacheIsOnUnlessTurnedOffAndOffRunsThePlainJar(@TempDir Path home) throws Exception {
		assertThat(UpCommand.parse(List.of(), Map.of(), HOME).aotCache()).isTrue();
		assertThat(UpCommand.parse(List.of(), Map.of("SWITCHBOARD_AOT_CACHE", "off"), HOME).aotCache()).isFalse();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--aot-cache", "maybe"), Map.of(), HOME))
			.withMessageContaining("--aot-cache must be on or off");

		Path jar = home.resolve("services/gateway/target/gateway.jar");
		Files.createDirectories(jar.getParent());
		Files.writeString(jar, "not really a jar");
		Options off = UpCommand.parse(List.of("--aot-cache", "off", "--data-dir", home.resolve("data").toString()),
				Map.of(), home);
		ServiceSpec gateway = ServiceSpec.PLATFORM.stream().filter(ServiceSpec::edge).findFirst().orElseThrow();

		assertThat(new ServiceArguments(off, null, Map.of(), Map.of(), Map.of(), Map.of(), "token", "secret",
				Optional.empty())
			.javaCommand(gateway)).endsWith("-jar", jar.toString())
			.noneMatch((argument) -> argument.startsWith("-XX:AOTCache"));
	}

	@Test
	void anEdgeCanBeSwitchedToAnotherTransportAndOnlyItsCallerIsTold() {
		Options defaults = UpCommand.parse(List.of(), Map.of(), HOME);
		assertThat(defaults.edges()).isEmpty();
		assertThat(defaults.transportOf("order-inventory")).isEqualTo("grpc");

		Options rest = UpCommand.parse(List.of("--edge", "order-inventory=rest"), Map.of(), HOME);
		assertThat(rest.transportOf("order-inventory")).isEqualTo("rest");
		ServiceArguments arguments = new ServiceArguments(rest, null, Map.of("inventory", 8081), Map.of(),
				Map.of("inventory", 9091), Map.of(), "token", "secret", Optional.empty());
		ServiceSpec order = ServiceSpec.PLATFORM.stream()
			.filter((s) -> s.name().equals("order"))
			.findFirst()
			.orElseThrow();
		ServiceSpec gateway = ServiceSpec.PLATFORM.getLast();
		// Order already asks inventory's HTTP port (saga step progress): told the
		// transport
		// alone.
		assertThat(arguments.transportArguments(order)).containsExactly("--switchboard.transports.inventory=rest");
		assertThat(arguments.transportArguments(gateway)).isEmpty();
		// The gateway knows analytics' HTTP port (it asks it) and its gRPC port;
		// payment's
		// HTTP port, which it reads payments from though payment serves gRPC too.
		assertThat(gateway.asks()).contains("analytics", "payment");
		ServiceArguments ports = new ServiceArguments(defaults, null, Map.of("payment", 8083, "analytics", 8086),
				Map.of("payment", 9083, "analytics", 9086), Map.of("payment", 9083, "analytics", 9086), Map.of(),
				"token", "secret", Optional.empty());
		assertThat(ports.serviceLocations(gateway))
			.anyMatch((a) -> a.matches("--switchboard\\.services\\.payment\\.url=https?://[^:]+:8083"))
			.anyMatch((a) -> a.matches("--switchboard\\.services\\.analytics\\.url=https?://[^:]+:8086"));
		assertThat(UpCommand
			.parse(List.of("--edge", "gateway-analytics=grpc", "--edge", "order-inventory=rest"), Map.of(), HOME)
			.edges())
			.containsExactlyInAnyOrderEntriesOf(Map.of("gateway-analytics", "grpc", "order-inventory", "rest"));
		assertThat(new ServiceArguments(defaults, null, Map.of(), Map.of(), Map.of(), Map.of(), "token", "secret",
				Optional.empty())
			.transportArguments(order)).isEmpty();

		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--edge", "order-inventory=soap"), Map.of(), HOME))
			.withMessageContaining("order-inventory=[grpc, rest]")
			.withMessageContaining("was order-inventory=soap");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--edge", "gateway-identity=grpc"), Map.of(), HOME))
			.withMessageContaining("order-payment=[queue, stream, grpc]")
			.withMessageContaining("gateway-order=[grpc, rest]")
			.withMessageContaining("was gateway-identity=grpc");

		// The gateway calls order over gRPC alone otherwise: told where order's HTTP port
		// is when its order edge is REST.
		Options restOrder = UpCommand.parse(List.of("--edge", "gateway-order=rest"), Map.of(), HOME);
		assertThat(new ServiceArguments(restOrder, null, Map.of("order", 8082), Map.of("order", 9081),
				Map.of("order", 9081), Map.of(), "token", "secret", Optional.empty())
			.transportArguments(gateway)).hasSize(2)
			.contains("--switchboard.transports.order=rest")
			.anyMatch((a) -> a.matches("--switchboard\\.services\\.order\\.url=https?://[^:]+:8082"));
		// Order knows payment's gRPC port and HTTP port whatever the edge's setting.
		Options grpcPayment = UpCommand.parse(List.of("--edge", "order-payment=grpc"), Map.of(), HOME);
		assertThat(new ServiceArguments(grpcPayment, null, Map.of(), Map.of(), Map.of(), Map.of(), "token", "secret",
				Optional.empty())
			.transportArguments(order)).containsExactly("--switchboard.transports.payment=grpc");
		assertThat(order.calls()).contains("payment");
		assertThat(order.asks()).contains("payment");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--edge", "rest"), Map.of(), HOME))
			.withMessageContaining("--edge must be EDGE=TRANSPORT");
	}

	@Test
	void theLabRelayIsServedOnlyWhenAskedForAndEachGrpcServerIsToldWhereEveryOtherIs() {
		ServiceSpec order = ServiceSpec.PLATFORM.stream()
			.filter((s) -> s.name().equals("order"))
			.findFirst()
			.orElseThrow();
		ServiceSpec shipping = ServiceSpec.PLATFORM.stream()
			.filter((s) -> s.name().equals("shipping"))
			.findFirst()
			.orElseThrow();
		// order's gRPC server behind a delay proxy (up --delay-proxies on): reached
		// there.
		Map<String, Integer> grpcPorts = Map.of("order", 9081, "inventory", 9082, "payment", 9083);
		Map<String, Integer> grpcTargets = Map.of("order", 19081, "inventory", 9082, "payment", 9083);
		Options defaults = UpCommand.parse(List.of(), Map.of(), HOME);
		assertThat(defaults.labRelay()).isFalse();
		assertThat(new ServiceArguments(defaults, null, Map.of(), grpcPorts, grpcTargets, Map.of(), "token", "secret",
				Optional.empty())
			.relayArguments(order)).isEmpty();

		Options lab = UpCommand.parse(List.of("--lab-relay", "on"), Map.of(), HOME);
		ServiceArguments arguments = new ServiceArguments(lab, null, Map.of(), grpcPorts, grpcTargets, Map.of(),
				"token", "secret", Optional.empty());
		// order already has its channels to inventory and payment; it gets one to itself.
		assertThat(arguments.relayArguments(order)).hasSize(3)
			.contains("--switchboard.lab.relay.enabled=true",
					"--spring.grpc.client.channel.order.target=127.0.0.1:19081")
			.anyMatch((a) -> a.startsWith("--switchboard.lab.relay.peers=") && a.contains("order")
					&& a.contains("inventory") && a.contains("payment"));
		assertThat(arguments.relayArguments(shipping)).as("serves no gRPC").isEmpty();
		assertThat(UpCommand.parse(List.of(), Map.of("SWITCHBOARD_LAB_RELAY", "on"), HOME).labRelay()).isTrue();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--lab-relay", "yes"), Map.of(), HOME))
			.withMessageContaining("--lab-relay must be on or off");
	}

	@Test
	void everyTraceGoesToTheZipkinServerOnPort9411AndToAnOtlpCollectorWhenGivenOne() {
		Options defaults = UpCommand.parse(List.of(), Map.of(), HOME);
		assertThat(defaults.tracing()).isEqualTo(Options.Tracing.DEFAULT);
		assertThat(defaults.consolePort()).isEqualTo(8090);
		assertThat(new ServiceArguments(defaults, null, Map.of(), Map.of(), Map.of(), Map.of(), "token", "secret",
				Optional.of("http://127.0.0.1:9411/api/v2/spans"))
			.tracingArguments()).containsExactly("--management.tracing.sampling.probability=1.0",
					"--switchboard.tracing.zipkin.endpoint=http://127.0.0.1:9411/api/v2/spans");

		Options chosen = UpCommand.parse(
				List.of("--zipkin", "off", "--otlp", "http://collector:4318/v1/traces", "--trace-sampling", "0.25"),
				Map.of("SWITCHBOARD_ZIPKIN_PORT", "19411"), HOME);
		assertThat(chosen.tracing())
			.isEqualTo(new Options.Tracing(false, 19411, Optional.of("http://collector:4318/v1/traces"), 0.25));
		assertThat(new ServiceArguments(chosen, null, Map.of(), Map.of(), Map.of(), Map.of(), "token", "secret",
				Optional.empty())
			.tracingArguments()).containsExactly("--management.tracing.sampling.probability=0.25",
					"--management.opentelemetry.tracing.export.otlp.endpoint=http://collector:4318/v1/traces");

		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--trace-sampling", "1.5"), Map.of(), HOME))
			.withMessageContaining("--trace-sampling must be a number from 0 to 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--otlp", "collector:4318"), Map.of(), HOME))
			.withMessageContaining("--otlp must be an http:// or https:// URL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UpCommand.parse(List.of("--zipkin", "yes"), Map.of(), HOME))
			.withMessageContaining("--zipkin must be on or off");
	}

}
