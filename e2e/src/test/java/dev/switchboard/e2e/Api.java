package dev.switchboard.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.launcher.platform.AccessTokens;
import dev.switchboard.launcher.platform.OperatorHttp;

/**
 * A small HTTP client for the public API and the services' internal endpoints. A request
 * to the public API ({@code /api/...}, {@code /bff/...}) that names no
 * {@code Authorization} goes with the demo client's token, obtained as any client obtains
 * it ({@link #useTokensFrom}).
 */
final class Api {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static volatile HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static volatile AccessTokens tokens;

	/**
	 * Calls to the services' internal ports from now on as the launcher's tools make
	 * them: with the operator's certificate when the platform on {@code runDir} runs with
	 * mutual TLS. (The gateway's public port takes them in plain HTTP as before.)
	 */
	static void callServicesAsOperator(Path runDir) {
		HTTP = OperatorHttp.client(runDir).connectTimeout(Duration.ofSeconds(5)).build();
	}

	/** The demo client's tokens from this gateway's token endpoint, from now on. */
	static void useTokensFrom(String gateway) {
		tokens = new AccessTokens(gateway, AccessTokens.DEMO, AccessTokens.ALL_SCOPES);
	}

	/** A token of the demo client with these scopes alone. */
	static String tokenWith(String gateway, String scope) {
		try {
			return new AccessTokens(gateway, AccessTokens.DEMO, scope).token();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Api() {
	}

	/**
	 * Every answer of the public API any test got through this class, for ApiContractIT
	 * to hold the OpenAPI document to.
	 */
	static final java.util.Queue<Exchange> PUBLIC_ANSWERS = new java.util.concurrent.ConcurrentLinkedQueue<>();

	record Exchange(String method, String path, int status, String contentType, String body) {
	}

	record Response(int status, Map<String, String> headers, String body) {

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		String header(String name) {
			return this.headers.get(name.toLowerCase());
		}

	}

	static Response get(String url, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request);
	}

	/**
	 * Every row of a paged internal listing ({@code ?after=KEY&limit=N}), asking page
	 * after page, with the admin token, until one comes back short.
	 */
	static List<JsonNode> allPages(String url, String keyField, String adminToken) {
		int limit = 1000;
		List<JsonNode> rows = new ArrayList<>();
		String after = "";
		while (true) {
			List<JsonNode> page = new ArrayList<>();
			get(url + "?limit=" + limit + "&after="
					+ java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8), "Authorization",
					"Bearer " + adminToken)
				.json()
				.forEach(page::add);
			rows.addAll(page);
			if (page.size() < limit) {
				return rows;
			}
			after = page.getLast().get(keyField).asText();
		}
	}

	static Response post(String url, String contentType, String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request);
	}

	static Response delete(String url, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).DELETE();
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request);
	}

	static Response send(HttpRequest.Builder request) {
		try {
			HttpRequest built = request.timeout(Duration.ofSeconds(20)).build();
			AccessTokens demo = tokens;
			boolean withToken = demo != null
					&& (built.uri().getPath().startsWith("/api/") || built.uri().getPath().startsWith("/bff/"))
					&& built.headers().firstValue("Authorization").isEmpty();
			if (withToken) {
				request.header("Authorization", demo.header());
			}
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (withToken && response.statusCode() == 401) {
				// A platform started again since the token was issued, with a new key.
				demo.renew();
				response = HTTP.send(request.setHeader("Authorization", demo.header()).build(),
						HttpResponse.BodyHandlers.ofString());
			}
			Map<String, String> headers = new java.util.HashMap<>();
			response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
			if (built.uri().getPath().startsWith("/api/")) {
				PUBLIC_ANSWERS.add(new Exchange(built.method(), answeredAs(built), response.statusCode(),
						headers.getOrDefault("content-type", ""), response.body()));
			}
			return new Response(response.statusCode(), headers, response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The route that answered: the path, in the version the API-Version header or the
	 * version query parameter chose when the request has one (the gateway lets either
	 * override the path's).
	 */
	private static String answeredAs(HttpRequest request) {
		String path = request.uri().getRawPath();
		String query = (request.uri().getRawQuery() != null) ? request.uri().getRawQuery() : "";
		java.util.regex.Matcher chosen = java.util.regex.Pattern.compile("(?:^|&)version=(\\d+)").matcher(query);
		String version = request.headers().firstValue("API-Version").orElse(chosen.find() ? chosen.group(1) : null);
		return (version != null) ? path.replaceFirst("^/api/v[^/]+/", "/api/v" + version + "/") : path;
	}

	static String order(String sku, int quantity, String token, String country) {
		return """
				{"customerId":"e2e-1","items":[{"sku":"%s","quantity":%d}],"paymentToken":"%s",
				 "shippingAddress":{"country":"%s","city":"Austin","line1":"1 Main St","postalCode":"78701"}}"""
			.formatted(sku, quantity, token, country);
	}

}
