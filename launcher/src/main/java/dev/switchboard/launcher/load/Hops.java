package dev.switchboard.launcher.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLContext;

import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * What one call costs, hop by hop, against bare baselines measured in the same run
 * ({@code switchboard bench hops}). Each target is called in a closed loop: one call in
 * flight for the latency (p50, p99 of the service time, and the CPU each process spent
 * per call), then {@code connections} in flight, each on its own connection, for the
 * throughput. A closed loop sends the next call when the last one answered, so these are
 * service times, not response times under a schedule: the open-loop curve of whole
 * orders, with coordinated omission corrected, is {@code switchboard bench}'s.
 */
final class Hops {

	/** One connection's way of making the call; used by one thread at a time. */
	interface Caller extends AutoCloseable {

		void call() throws Exception;

		@Override
		default void close() throws Exception {
		}

	}

	/** Opens a new connection to a target. */
	@FunctionalInterface
	interface Callers {

		Caller open() throws Exception;

	}

	/**
	 * A thing to call: its name, what it is, the target it is compared with (empty for a
	 * baseline) and the bytes it sends.
	 */
	record Target(String name, String description, String baseline, int payload, Callers callers,
			List<String> profiled) {

		Target(String name, String description, String baseline, int payload, Callers callers) {
			this(name, description, baseline, payload, callers, List.of());
		}

	}

	/**
	 * Profiles services while a target is called (JDK Flight Recorder): the share of each
	 * layer in a service's samples.
	 */
	interface Profiler {

		void start(String service) throws Exception;

		Map<String, Double> stop(String service) throws Exception;

	}

	/** One run of one target. */
	record Figures(double p50Millis, double p99Millis, double meanMillis, double callsPerSecond,
			Map<String, Double> cpuMillisPerCall, long errors) {
	}

	/**
	 * Every run of one target, and where the CPU of each service profiled went in the
	 * first (layer to share of samples).
	 */
	record Result(Target target, List<Figures> runs, Map<String, Map<String, Double>> layers) {

		double median(Function<Figures, Double> figure) {
			return Hops.median(this.runs.stream().mapToDouble(figure::apply).toArray());
		}

		String spread(Function<Figures, Double> figure, String format) {
			return Hops.spread(this.runs.stream().mapToDouble(figure::apply).toArray(), format);
		}

	}

	private final ProcessCpu cpu;

	private final PrintStream out;

	private final Duration warmup;

	private final Duration duration;

	private final int runs;

	private final int connections;

	private final Profiler profiler;

	Hops(ProcessCpu cpu, PrintStream out, Duration warmup, Duration duration, int runs, int connections) {
		this(cpu, out, warmup, duration, runs, connections, null);
	}

	Hops(ProcessCpu cpu, PrintStream out, Duration warmup, Duration duration, int runs, int connections,
			Profiler profiler) {
		this.profiler = profiler;
		this.cpu = cpu;
		this.out = out;
		this.warmup = warmup;
		this.duration = duration;
		this.runs = runs;
		this.connections = connections;
	}

	/** Measures each target in turn, printing each as it is known. */
	List<Result> measure(List<Target> targets) throws Exception {
		List<Result> results = new ArrayList<>();
		for (Target target : targets) {
			this.out.printf("  %-28s", target.name());
			if (!this.warmup.isZero()) {
				load(target, this.connections, this.warmup, null);
			}
			List<Figures> figures = new ArrayList<>();
			Map<String, Map<String, Double>> layers = new LinkedHashMap<>();
			for (int run = 0; run < this.runs; run++) {
				figures.add(once(target, (run == 0) ? layers : null));
				this.out.print(".");
			}
			Result result = new Result(target, figures, layers);
			results.add(result);
			this.out.printf(" p50 %s ms, %s calls/s%n", result.spread(Figures::p50Millis, "%.3f"),
					result.spread(Figures::callsPerSecond, "%.0f"));
		}
		return results;
	}

	private Figures once(Target target, Map<String, Map<String, Double>> layers) throws Exception {
		Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
		boolean profiling = this.profiler != null && layers != null;
		if (profiling) {
			for (String service : target.profiled()) {
				this.profiler.start(service);
			}
		}
		Map<String, ProcessCpu.Usage> before = this.cpu.read();
		Load one = load(target, 1, this.duration, latency);
		Map<String, ProcessCpu.Usage> used = ProcessCpu.difference(this.cpu.read(), before);
		if (profiling) {
			for (String service : target.profiled()) {
				layers.put(service, this.profiler.stop(service));
			}
		}
		Map<String, Double> cpuPerCall = new LinkedHashMap<>();
		used.forEach((group, usage) -> {
			double millis = usage.total() * 1000 / Math.max(1, one.calls());
			if (millis >= 0.0005) {
				cpuPerCall.put(group, millis);
			}
		});
		Load many = load(target, this.connections, this.duration, null);
		return new Figures(latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
				latency.getMean() / 1000.0, many.calls() / many.seconds(), cpuPerCall, one.errors() + many.errors());
	}

	private record Load(long calls, long errors, double seconds) {
	}

	/**
	 * {@code threads} threads, each with its own connection, call {@code target} back to
	 * back for {@code length}; latencies (µs) go to {@code latency} when given.
	 */
	private Load load(Target target, int threads, Duration length, Histogram latency) throws Exception {
		List<Caller> callers = new ArrayList<>();
		try {
			for (int i = 0; i < threads; i++) {
				try {
					Caller caller = target.callers().open();
					callers.add(caller);
					caller.call(); // the connection is open before the clock starts
				}
				catch (Exception ex) {
					throw new IllegalStateException(target.name() + " cannot be called: " + ex.getMessage(), ex);
				}
			}
			AtomicLong calls = new AtomicLong();
			AtomicLong errors = new AtomicLong();
			AtomicReference<Exception> firstError = new AtomicReference<>();
			long start = System.nanoTime();
			long end = start + length.toNanos();
			List<Thread> running = new ArrayList<>();
			for (Caller caller : callers) {
				running.add(Thread.ofPlatform().name("bench-hops").start(() -> {
					while (System.nanoTime() < end) {
						long sent = System.nanoTime();
						try {
							caller.call();
							calls.incrementAndGet();
							if (latency != null) {
								latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
							}
						}
						catch (Exception ex) {
							errors.incrementAndGet();
							firstError.compareAndSet(null, ex);
						}
					}
				}));
			}
			for (Thread thread : running) {
				thread.join();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			if (errors.get() > 0 && calls.get() == 0) {
				throw new IllegalStateException(target.name() + ": every call failed", firstError.get());
			}
			return new Load(calls.get(), errors.get(), seconds);
		}
		finally {
			for (Caller caller : callers) {
				caller.close();
			}
		}
	}

	/**
	 * The results as a table: each target with its figures, and against its baseline the
	 * ratio of p50s, what it adds to the baseline's p50 and the share of its throughput
	 * kept.
	 */
	static void print(List<Result> results, int connections, PrintStream out) {
		Map<String, Result> byName = new LinkedHashMap<>();
		results.forEach((result) -> byName.put(result.target().name(), result));
		out.printf("%n%-28s %8s %-22s %-22s %-24s  %s%n", "target", "payload", "p50 ms (runs)", "p99 ms",
				"calls/s, " + connections + " in flight", "against its baseline");
		for (Result result : results) {
			Target target = result.target();
			String against = "";
			Result baseline = byName.get(target.baseline());
			if (baseline != null) {
				double p50 = result.median(Figures::p50Millis);
				double base = baseline.median(Figures::p50Millis);
				against = String.format("%s: p50 %.2fx (%+.3f ms), throughput %.0f%%", baseline.target().name(),
						p50 / base, p50 - base,
						100 * result.median(Figures::callsPerSecond) / baseline.median(Figures::callsPerSecond));
			}
			out.printf("%-28s %8s %-22s %-22s %-24s  %s%n", target.name(), bytes(target.payload()),
					result.spread(Figures::p50Millis, "%.3f"), result.spread(Figures::p99Millis, "%.2f"),
					result.spread(Figures::callsPerSecond, "%.0f"), against);
		}
		out.printf(
				"%nCPU per call, one in flight (ms, median of runs; the bare servers run in the bench's process):%n");
		for (Result result : results) {
			Map<String, Double> cpu = new LinkedHashMap<>();
			result.runs()
				.getFirst()
				.cpuMillisPerCall()
				.keySet()
				.forEach((group) -> cpu.put(group,
						result.median((figures) -> figures.cpuMillisPerCall().getOrDefault(group, 0.0))));
			StringBuilder line = new StringBuilder();
			cpu.forEach((group, millis) -> {
				if (millis >= 0.01) {
					line.append(String.format("  %s %.3f", group, millis));
				}
			});
			out.printf("  %-28s%s%n", result.target().name(), line);
		}
		printLayers(results, out);
		long errors = results.stream().flatMap((r) -> r.runs().stream()).mapToLong(Figures::errors).sum();
		if (errors > 0) {
			out.printf("%n%d calls failed (counted in no figure above)%n", errors);
		}
	}

	/**
	 * Each profiled service's CPU per call (first run, one in flight) split by layer, the
	 * layers under 2% of its samples left out.
	 */
	private static void printLayers(List<Result> results, PrintStream out) {
		if (results.stream().allMatch((result) -> result.layers().isEmpty())) {
			return;
		}
		out.printf("%nWhere each service's CPU goes, one call in flight (first run; JDK Flight Recorder, Java code "
				+ "only:%n GC, JIT and kernel time are in the CPU per call but not split here):%n");
		for (Result result : results) {
			result.layers().forEach((service, shares) -> {
				double perCall = result.runs().getFirst().cpuMillisPerCall().getOrDefault(service, 0.0);
				out.printf("  %s, %s: %.3f ms CPU per call%n", result.target().name(), service, perCall);
				shares.forEach((layer, share) -> {
					if (share >= 0.02) {
						out.printf("    %-50s %4.0f%%  %.3f ms%n", layer, 100 * share, share * perCall);
					}
				});
			});
		}
	}

	/**
	 * Writes {@code latency.svg} (each target's p50, and on to its p99) and, when
	 * services were profiled, {@code layers.svg} (each one's CPU per call by layer).
	 */
	static void charts(List<Result> results, java.nio.file.Path outDir) throws IOException {
		List<SvgChart.Bar> latency = results.stream()
			.map((result) -> new SvgChart.Bar(result.target().name(),
					new double[] { result.median(Figures::p50Millis),
							result.median(Figures::p99Millis) - result.median(Figures::p50Millis) }))
			.toList();
		java.nio.file.Files.writeString(outDir.resolve("latency.svg"), SvgChart
			.bars("One call in flight: p50, and on to p99", "milliseconds", List.of("p50", "p50 to p99"), latency));
		List<String> layers = new ArrayList<>(Layers.LAYERS.keySet());
		layers.add(Layers.JDK_LAYER);
		layers.add(Layers.OTHER_LAYER);
		List<SvgChart.Bar> bars = new ArrayList<>();
		for (Result result : results) {
			result.layers().forEach((service, shares) -> {
				double perCall = result.runs().getFirst().cpuMillisPerCall().getOrDefault(service, 0.0);
				bars.add(new SvgChart.Bar(result.target().name() + ": " + service,
						layers.stream().mapToDouble((layer) -> shares.getOrDefault(layer, 0.0) * perCall).toArray()));
			});
		}
		if (!bars.isEmpty()) {
			java.nio.file.Files.writeString(outDir.resolve("layers.svg"),
					SvgChart.bars("CPU per call by layer, one call in flight", "milliseconds of CPU", layers, bars));
		}
	}

	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	/**
	 * The median of {@code values}, then their range in brackets when there are several.
	 */
	static String spread(double[] values, String format) {
		String median = String.format(format, median(values));
		if (values.length < 2) {
			return median;
		}
		return median + " (" + String.format(format, Arrays.stream(values).min().orElseThrow()) + "–"
				+ String.format(format, Arrays.stream(values).max().orElseThrow()) + ")";
	}

	static String bytes(int payload) {
		if (payload < 0) {
			return "-";
		}
		return (payload >= 1024 && payload % 1024 == 0) ? (payload / 1024) + " KB" : payload + " B";
	}

	/** Bytes of {@code data} once gzipped (level 6, as HTTP servers compress). */
	static int gzipped(byte[] data) {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
			gzip.write(data);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return compressed.size();
	}

	/**
	 * An HTTP/1.1 client on one kept-alive connection at a time (the Apache client the
	 * platform's REST hops use), over TLS with {@code tls} when given.
	 */
	static CloseableHttpClient httpClient(SSLContext tls) {
		return httpClient(tls, 1);
	}

	/** A blocking client keeping up to {@code connections} connections alive. */
	static CloseableHttpClient httpClient(SSLContext tls, int connections) {
		PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnTotal(connections)
			.setMaxConnPerRoute(connections)
			.setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.ofSeconds(5))
				.setSocketTimeout(Timeout.ofSeconds(10))
				.build());
		if (tls != null) {
			pool.setTlsSocketStrategy(new DefaultClientTlsStrategy(tls));
		}
		return HttpClients.custom()
			.setConnectionManager(pool.build())
			.disableAutomaticRetries()
			.disableConnectionState()
			.disableCookieManagement()
			.build();
	}

	/**
	 * A caller that sends {@code payload} (POST) or nothing (GET) to {@code uri} with
	 * {@code headers}, and reads the whole answer, which must be a 200.
	 */
	static Callers http(URI uri, byte[] payload, Map<String, String> headers, SSLContext tls) {
		return http((payload != null) ? "POST" : "GET", uri, payload, ContentType.APPLICATION_OCTET_STREAM, headers,
				tls);
	}

	/**
	 * {@code method} on {@code uri} with {@code payload} (if any) of type {@code type}.
	 */
	static Callers http(String method, URI uri, byte[] payload, ContentType type, Map<String, String> headers,
			SSLContext tls) {
		return () -> {
			CloseableHttpClient client = httpClient(tls);
			return new Caller() {
				@Override
				public void call() throws IOException {
					HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
					if (payload != null) {
						request.setEntity(new ByteArrayEntity(payload, type));
					}
					headers.forEach(request::setHeader);
					client.execute(request, (response) -> {
						byte[] body = EntityUtils.toByteArray(response.getEntity());
						if (response.getCode() != 200) {
							throw new IOException(uri + " answered " + response.getCode() + ": "
									+ new String(body, java.nio.charset.StandardCharsets.UTF_8));
						}
						return body.length;
					});
				}

				@Override
				public void close() throws IOException {
					client.close();
				}
			};
		};
	}

}
