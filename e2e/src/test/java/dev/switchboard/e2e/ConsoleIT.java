package dev.switchboard.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.JsonNode;

import static dev.switchboard.e2e.Api.get;
import static dev.switchboard.e2e.E2e.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The console {@code up} serves on this machine, through the JSON its page reads: every
 * service and edge with live figures, the sagas, an order's timeline and trace, and
 * faults that only the admin token may inject.
 */
@PlatformTest
@Order(5)
class ConsoleIT {

	@Test
	@Order(10)
	void servesItsPageAndShowsEveryServiceUpAndEachEdgesFiguresAsOrdersFlow() {
		Api.Response page = get(platform.consoleUrl());
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Type")).startsWith("text/html");
		assertThat(page.body()).contains("<title>Switchboard console</title>", "/console.js");
		assertThat(get(platform.consoleUrl() + "console.js").body()).contains("/data/overview");

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			place("SKU-0083", 1, "tok_visa", "US", "COMPLETED");
			JsonNode overview = get(platform.consoleUrl() + "data/overview").json();
			assertThat(overview.path("services")).hasSize(8)
				.allSatisfy((service) -> assertThat(service.path("up").asBoolean()).as(service.path("name").asString())
					.isTrue());
			JsonNode placing = edge(overview, "gateway", "order", "gRPC");
			assertThat(placing.path("rate").asDouble()).as("orders placed through the gateway").isPositive();
			assertThat(placing.path("p99Ms").asDouble()).isPositive();
			assertThat(placing.path("breaker").asString()).isEqualTo("closed");
			// The charge's edge as this platform runs it (up --edge order-payment=...).
			if (args.contains("order-payment=stream")) {
				// (Order's events to payment are streams too: the one of the commands.)
				JsonNode payments = edge(overview, "order", "payment", "stream", "switchboard.payment.command-stream");
				assertThat(payments.path("rate").isNumber()).as("charges taken from the stream: %s", payments).isTrue();
			}
			else if (args.contains("order-payment=grpc")) {
				JsonNode payments = edge(overview, "order", "payment", "gRPC");
				assertThat(payments.path("rate").isNumber()).as("charges called: %s", payments).isTrue();
				assertThat(payments.path("breaker").asString()).isEqualTo("closed");
			}
			else {
				JsonNode payments = edge(overview, "order", "payment", "queue");
				assertThat(payments.path("channel").asString()).isEqualTo("switchboard.payment.commands");
				assertThat(payments.path("waiting").isNumber()).as("messages waiting in the queue: %s", payments)
					.isTrue();
			}
			assertThat(overview.path("sagas").path("inFlight").isNumber()).isTrue();
			assertThat(overview.path("deadLetters")).isNotEmpty();
		});
	}

	@Test
	@Order(20)
	void findsAnOrdersSagaTimelineAndItsTrace() {
		String order = place("SKU-0084", 1, "tok_visa", "US", "COMPLETED");
		awaitTerminal(order);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode found = get(platform.consoleUrl() + "data/orders/" + order).json();
			assertThat(found.path("status").asString()).isEqualTo("COMPLETED");
			List<String> events = new ArrayList<>();
			found.path("timeline")
				.forEach((entry) -> events.add(entry.path("step").asString() + " " + entry.path("event").asString()));
			assertThat(events).contains("ship succeeded");
			assertThat(found.path("trace").path("services").size()).isGreaterThanOrEqualTo(5);
			assertThat(found.path("trace").path("url").asString())
				.endsWith("/traces/" + found.path("trace").path("traceId").asString());
		});
		assertThat(get(platform.consoleUrl() + "data/orders/no-such-order").status()).isEqualTo(404);
		assertThat(get(platform.consoleUrl() + "data/orders/not%20an%20id").status()).isEqualTo(400);
	}

	@Test
	@Order(30)
	void injectsAndClearsAFaultOnlyWithTheAdminToken() {
		String faults = platform.consoleUrl() + "data/faults/analytics";
		String fault = "{\"latencyMs\":5,\"route\":\"/no-such-route\",\"durationSeconds\":30}";
		assertThat(Api
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(faults))
				.header("Authorization", "Bearer not-the-token")
				.PUT(java.net.http.HttpRequest.BodyPublishers.ofString(fault)))
			.status()).isEqualTo(401);

		Api.Response injected = Api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(faults))
			.header("Authorization", "Bearer " + platform.adminToken())
			.header("Content-Type", "application/json")
			.PUT(java.net.http.HttpRequest.BodyPublishers.ofString(fault)));
		assertThat(injected.status()).as(injected.body()).isEqualTo(200);
		assertThat(get(faults, "Authorization", "Bearer " + platform.adminToken()).body()).contains("/no-such-route");
		assertThat(Api.delete(faults, "Authorization", "Bearer " + platform.adminToken()).status()).isLessThan(300);
		assertThat(get(faults, "Authorization", "Bearer " + platform.adminToken()).body())
			.doesNotContain("/no-such-route");
	}

	/**
	 * A user's first look, in a real browser: every service up, a demo order placed from
	 * the page, found, its saga complete and its trace from at least five services. The
	 * screenshot is kept in target/console.png.
	 */
	@Test
	@Order(40)
	void inABrowserShowsEveryServicePlacesAnOrderAndFindsItsSagaAndTrace() throws Exception {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"Chromium is not installed here (" + CHROMIUM + ", " + CHROMEDRIVER + "): the console's browser test"
						+ " needs Debian's chromium and chromium-driver packages (apt-get install chromium "
						+ "chromium-driver; .ci/run installs them)");
		Path profile = Files.createTempDirectory("console-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		// This machine's network is closed: Chromium's own background traffic would only
		// be refused.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1400,1800", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		WebDriver browser = new ChromeDriver(service, options);
		try {
			browser.get(platform.consoleUrl());
			// The page redraws its tables every two seconds: an element read while it is
			// replaced is looked up again.
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
				.untilAsserted(() -> assertThat(browser.findElements(By.cssSelector("#services tbody tr"))).hasSize(8)
					.allSatisfy((row) -> assertThat(row.getText()).contains(" up ")));
			assertThat(browser.findElements(By.cssSelector("#topology circle"))).hasSize(8);
			assertThat(browser.findElements(By.cssSelector("#edges tbody tr"))).hasSizeGreaterThan(20);

			browser.findElement(By.id("place-order")).click();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofSeconds(1))
				.ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
				.untilAsserted(() -> {
					// The saga goes on, and each service sends its spans a second or so
					// after the fact: until both are whole, the user asks again (the
					// page's Find button), as the page itself does for ten seconds.
					String status = browser.findElement(By.id("order-status")).getText();
					List<WebElement> traces = browser.findElements(By.id("trace-link"));
					String services = browser.findElement(By.id("order-trace")).getText();
					if (!status.equals("COMPLETED") || traces.isEmpty()
							|| !services.matches("(?s).*spans from ([5-9]|\\d\\d+) services.*")) {
						browser.findElement(By.id("find-order")).click();
					}
					assertThat(status).isEqualTo("COMPLETED");
					assertThat(browser.findElement(By.id("order-timeline")).getText()).contains("ship succeeded");
					assertThat(traces).as("the order's trace link").isNotEmpty();
					assertThat(traces.getFirst().getAttribute("href")).contains("/zipkin/traces/");
					assertThat(Integer.parseInt(services.replaceFirst("(?s).*spans from (\\d+) services.*", "$1")))
						.as(services)
						.isGreaterThanOrEqualTo(5);
				});
			String orderId = browser.findElement(By.id("order-id")).getAttribute("value");
			expected.put(orderId, "COMPLETED");
			((JavascriptExecutor) browser).executeScript("document.getElementById('order').scrollIntoView()");
			Path screenshot = Path.of("target", "console.png");
			Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
			assertThat(screenshot).isNotEmptyFile();
		}
		finally {
			browser.quit();
		}
	}

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static JsonNode edge(JsonNode overview, String from, String to, String pattern) {
		return edge(overview, from, to, pattern, null);
	}

	/** The edge, on {@code channel} unless that is null. */
	private static JsonNode edge(JsonNode overview, String from, String to, String pattern, String channel) {
		for (JsonNode edge : overview.path("edges")) {
			if (edge.path("from").asString().equals(from) && edge.path("to").asString().equals(to)
					&& edge.path("pattern").asString().equals(pattern)
					&& (channel == null || edge.path("channel").asString().equals(channel))) {
				return edge;
			}
		}
		throw new AssertionError(
				"no edge " + from + " -> " + to + " over " + pattern + " (" + channel + ") in " + overview);
	}

}
