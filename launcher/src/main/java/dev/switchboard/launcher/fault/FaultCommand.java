package dev.switchboard.launcher.fault;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.DurationConverter;
import dev.switchboard.launcher.Switchboard;
import dev.switchboard.launcher.platform.DelayProxy;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.platform.ServiceFaults;

/**
 * {@code switchboard fault SERVICE ...}: injects a fault into a running service through
 * its {@code /admin/faults} endpoint, authorised with the platform's admin token.
 */
@Command(name = "fault", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = {
				"Injects a fault into a running service: slow or failing inbound calls, duplicated or "
						+ "reordered Kafka deliveries, or a slow network in front of its gRPC port.",
				"Health and admin endpoints are never affected. One fault per service; a new one replaces the old." },
		customSynopsis = {
				"switchboard fault SERVICE [--latency D [--latency-rate R]] [--error-rate R] [--abort] [--duplicate R] "
						+ "[--reorder R] [--route TEXT] [--for D] [--data-dir DIR]",
				"switchboard fault SERVICE --network-delay D [--for D] [--data-dir DIR]",
				"switchboard fault SERVICE --clear | --show [--data-dir DIR]" })
public final class FaultCommand implements Callable<Integer> {

	@Parameters(paramLabel = "SERVICE", completionCandidates = RunningServices.Names.class,
			description = "the service to break")
	String service;

	@Option(names = "--latency", paramLabel = "D", converter = DurationConverter.class,
			description = "delay each matching inbound call (e.g. 2s, 300ms)")
	Duration latency;

	@Option(names = "--latency-rate", paramLabel = "R",
			description = "delay only this share of the matching calls (0 to 1; default 1, every one): a service "
					+ "that is slow now and then")
	Double latencyRate;

	@Option(names = "--error-rate", paramLabel = "R",
			description = "fail this share of matching calls (0 to 1) with UNAVAILABLE / 503")
	Double errorRate;

	@Option(names = "--abort", description = "fail every matching call")
	boolean abort;

	@Option(names = "--duplicate", paramLabel = "R",
			description = "hand this share of the records its Kafka consumers poll to their handlers twice (0 to 1), "
					+ "as a redelivery would")
	Double duplicateRate;

	@Option(names = "--reorder", paramLabel = "R",
			description = "swap this share of polled records with the next (0 to 1)")
	Double reorderRate;

	@Option(names = "--route", paramLabel = "TEXT",
			description = "only calls whose gRPC method or HTTP path contains TEXT (e.g. CheckAndReserve, /summary), "
					+ "or the messages of a work queue: queue:<queue>, or a consumer group's events: events:<group> "
					+ "(--latency then delays each event, as a slow consumer; only a route naming events does); "
					+ "default: every call and message")
	String route;

	@Option(names = "--network-delay", paramLabel = "D", converter = DurationConverter.class,
			description = "delay every byte sent to and from the service's gRPC port by D, in the delay proxy in "
					+ "front of it (a platform started with --delay-proxies on; proxied: order, inventory)")
	Duration networkDelay;

	@Option(names = "--for", paramLabel = "D", converter = DurationConverter.class,
			description = "how long the fault lasts (default 60s, at most 1h)")
	Duration lasts;

	@Option(names = "--clear", description = "remove the service's fault (and network delay) now")
	boolean clear;

	@Option(names = "--show", description = "print the service's current fault and what it did")
	boolean show;

	@Mixin
	DataDirOption dataDir;

	private final PrintStream out;

	public FaultCommand() {
		this(System.out);
	}

	public FaultCommand(PrintStream out) {
		this.out = out;
	}

	/**
	 * Runs {@code switchboard fault} with these arguments; a wrong one throws
	 * IllegalArgumentException.
	 */
	public static int run(List<String> args, PrintStream out) throws Exception {
		return Switchboard.run(new FaultCommand(out), args);
	}

	@Override
	public Integer call() throws IOException, InterruptedException {
		RunningServices.Target target = RunningServices.Target.of(this.service, this.dataDir.path(), false);
		Map<String, Object> fault = new LinkedHashMap<>();
		if (this.latency != null) {
			fault.put("latencyMs", this.latency.toMillis());
		}
		if (this.latencyRate != null) {
			if (this.latency == null) {
				throw new IllegalArgumentException("--latency-rate needs a --latency");
			}
			fault.put("latencyRate", rate("--latency-rate", this.latencyRate));
		}
		if (this.errorRate != null) {
			fault.put("errorRate", rate("--error-rate", this.errorRate));
		}
		if (this.duplicateRate != null) {
			fault.put("duplicateRate", rate("--duplicate", this.duplicateRate));
		}
		if (this.reorderRate != null) {
			fault.put("reorderRate", rate("--reorder", this.reorderRate));
		}
		if (this.route != null) {
			fault.put("route", this.route);
		}
		if (this.lasts != null) {
			fault.put("durationSeconds", Math.max(1, this.lasts.toSeconds()));
		}
		if (this.abort) {
			fault.put("abort", true);
		}
		boolean clear = this.clear;
		boolean show = this.show;
		boolean abort = this.abort;
		PrintStream out = this.out;
		if (this.networkDelay != null) {
			if (clear || show || abort || fault.keySet().stream().anyMatch((key) -> !key.equals("durationSeconds"))) {
				throw new IllegalArgumentException("--network-delay takes only --for");
			}
			target.httpPort(); // the service is running
			long seconds = (long) fault.getOrDefault("durationSeconds", 60L);
			DelayProxy.setDelay(target.runDir(), target.service(), this.networkDelay,
					java.time.Instant.now().plusSeconds(seconds));
			out.printf("%s: every byte to and from its gRPC port delayed by %d ms for %d s%n", target.service(),
					this.networkDelay.toMillis(), seconds);
			return 0;
		}
		if ((clear || show) && (!fault.isEmpty() || (clear && show))) {
			throw new IllegalArgumentException("--clear and --show take no fault options");
		}
		if (clear) {
			DelayProxy.clearDelay(target.runDir(), target.service());
		}
		if (!clear && !show && !abort
				&& java.util.stream.Stream.of("latencyMs", "errorRate", "duplicateRate", "reorderRate")
					.noneMatch(fault::containsKey)) {
			throw new IllegalArgumentException(
					"say what fault: --latency, --error-rate, --abort, --duplicate or --reorder");
		}
		if (clear) {
			ServiceFaults.clear(target);
			out.println("cleared the fault of " + target.service());
		}
		else {
			out.println(target.service() + ": "
					+ (show ? ServiceFaults.show(target) : ServiceFaults.inject(target, fault)));
		}
		return 0;
	}

	private static double rate(String option, double rate) {
		if (rate >= 0 && rate <= 1) {
			return rate;
		}
		throw new IllegalArgumentException(option + " must be a number from 0 to 1, was " + rate);
	}

}
