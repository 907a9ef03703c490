package dev.switchboard.launcher.bulk;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import dev.switchboard.contracts.order.v1.AnnotateOrder;
import dev.switchboard.contracts.order.v1.BulkUpdateSummary;
import dev.switchboard.contracts.order.v1.CancelOrder;
import dev.switchboard.contracts.order.v1.OrderChange;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.RefusedChange;
import dev.switchboard.launcher.DataDirOption;
import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.InternalChannels;
import dev.switchboard.launcher.platform.Ports;
import dev.switchboard.launcher.platform.RunningServices;
import dev.switchboard.launcher.token.ClientOptions;

/**
 * {@code switchboard import FILE.csv}: streams the file's changes to the order service's
 * {@code BulkUpdateOrders} as a client (its OAuth2 token: whose orders they are) over the
 * operator's channel, a line at a time as the call can take them (the file is never held
 * whole), and prints the summary. Exit code 0 when every line was applied, 1 when some
 * were refused.
 */
@Command(name = "import", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
		description = {
				"Applies a CSV file of changes to your orders in one BulkUpdateOrders call (gRPC client "
						+ "streaming) and prints what was applied and why any line was refused.",
				"Lines: ORDER_ID,cancel[,REASON] or ORDER_ID,annotate,NOTE (quote a field that holds a comma); a "
						+ "first line order_id,action,text is a header. A cancellation is refused once the order is "
						+ "being shipped or has ended." })
public final class ImportCommand implements Callable<Integer> {

	@Parameters(index = "0", paramLabel = "FILE", description = "the CSV file")
	Path file;

	@Mixin
	DataDirOption dataDir;

	@Mixin
	ClientOptions client;

	private final PrintStream out;

	public ImportCommand() {
		this(System.out);
	}

	ImportCommand(PrintStream out) {
		this.out = out;
	}

	@Override
	public Integer call() throws Exception {
		Path runDir = this.dataDir.path().resolve("run");
		if (!Files.exists(RunningServices.portFile(runDir, "gateway"))) {
			throw new IllegalArgumentException(
					"no platform is running on " + this.dataDir.path() + " (start it with ./switchboard up)");
		}
		String gateway = "http://localhost:" + Files.readString(RunningServices.portFile(runDir, "gateway")).strip();
		String token = new AccessTokens(gateway, this.client.client(), "orders:write").token();
		int port = new Ports(this.dataDir.path()).known("order.grpc");
		ManagedChannel channel = InternalChannels.asOperator(runDir, port);
		try (Reader csv = Files.newBufferedReader(this.file, StandardCharsets.UTF_8)) {
			Result result = send(channel, token, CSVFormat.DEFAULT.builder().setTrim(true).get().parse(csv));
			print(result);
			return (result.summary().getRefused() + result.unreadable().size() == 0) ? 0 : 1;
		}
		finally {
			channel.shutdownNow();
		}
	}

	/** What the order service answered, and the lines that were not changes at all. */
	record Result(BulkUpdateSummary summary, List<Integer> lines, List<String> unreadable) {
	}

	private Result send(ManagedChannel channel, String token, Iterable<CSVRecord> records)
			throws IOException, InterruptedException {
		Metadata headers = new Metadata();
		headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
		CompletableFuture<BulkUpdateSummary> answer = new CompletableFuture<>();
		Semaphore ready = new Semaphore(0);
		ClientResponseObserver<OrderChange, BulkUpdateSummary> responses = new ClientResponseObserver<>() {

			@Override
			public void beforeStart(ClientCallStreamObserver<OrderChange> requests) {
				requests.setOnReadyHandler(ready::release);
			}

			@Override
			public void onNext(BulkUpdateSummary summary) {
				answer.complete(summary);
			}

			@Override
			public void onError(Throwable t) {
				answer.completeExceptionally(t);
				ready.release();
			}

			@Override
			public void onCompleted() {
			}

		};
		ClientCallStreamObserver<OrderChange> changes = (ClientCallStreamObserver<OrderChange>) OrderServiceGrpc
			.newStub(channel)
			.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
			.bulkUpdateOrders(responses);
		List<Integer> lines = new ArrayList<>();
		List<String> unreadable = new ArrayList<>();
		for (CSVRecord record : records) {
			long line = record.getRecordNumber();
			if (line == 1 && record.size() > 1 && record.get(0).equalsIgnoreCase("order_id")) {
				continue;
			}
			if (record.size() == 1 && record.get(0).isEmpty()) {
				continue;
			}
			OrderChange change;
			try {
				change = change(record);
			}
			catch (IllegalArgumentException ex) {
				unreadable.add("line " + line + ": " + ex.getMessage());
				continue;
			}
			// Only as fast as the call takes them: the file is read as it is sent.
			while (!changes.isReady() && !answer.isDone()) {
				ready.tryAcquire(1, TimeUnit.SECONDS);
			}
			if (answer.isDone()) {
				break;
			}
			changes.onNext(change);
			lines.add((int) line);
		}
		changes.onCompleted();
		try {
			return new Result(answer.get(Duration.ofMinutes(10).toSeconds(), TimeUnit.SECONDS), lines, unreadable);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof StatusRuntimeException status) {
				throw new IllegalStateException("the order service refused the import: " + status.getStatus());
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("no summary from the order service within 10 minutes");
		}
	}

	/** One line as a change; what makes it none is the exception's message. */
	static OrderChange change(CSVRecord record) {
		if (record.size() < 2 || record.get(0).isEmpty()) {
			throw new IllegalArgumentException("expected ORDER_ID,cancel[,REASON] or ORDER_ID,annotate,NOTE");
		}
		String text = (record.size() > 2) ? record.get(2) : "";
		OrderChange.Builder change = OrderChange.newBuilder().setOrderId(record.get(0));
		return switch (record.get(1).toLowerCase(Locale.ROOT)) {
			case "cancel" -> change.setCancel(CancelOrder.newBuilder().setReason(text)).build();
			case "annotate" -> change.setAnnotate(AnnotateOrder.newBuilder().setNote(text)).build();
			default ->
				throw new IllegalArgumentException("the action is cancel or annotate, not '" + record.get(1) + "'");
		};
	}

	private void print(Result result) {
		BulkUpdateSummary summary = result.summary();
		this.out.printf("%d changes sent, %d applied, %d refused%n", summary.getReceived(), summary.getApplied(),
				summary.getRefused());
		for (RefusedChange refused : summary.getRefusalsList()) {
			int line = (refused.getIndex() < result.lines().size()) ? result.lines().get(refused.getIndex()) : -1;
			this.out.printf("line %d (order %s): %s%n", line, refused.getOrderId(), refused.getReason());
		}
		if (summary.getRefused() > summary.getRefusalsCount()) {
			this.out.printf("... and %d more refused%n", summary.getRefused() - summary.getRefusalsCount());
		}
		if (!result.unreadable().isEmpty()) {
			this.out.printf("%d lines were not changes, and were not sent:%n", result.unreadable().size());
			result.unreadable().forEach((line) -> this.out.println(line));
		}
	}

}
