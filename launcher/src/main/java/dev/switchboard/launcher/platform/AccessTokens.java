package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access tokens for one OAuth2 client, from the platform's token endpoint
 * ({@code POST /oauth2/token} at the gateway, client credentials with HTTP Basic), as any
 * client of the platform gets them. A token is kept and shared by every caller until a
 * minute before it expires; {@link #renew()} drops it after the platform refused it.
 */
public final class AccessTokens {

	/** The scopes of the documented contract: everything a client may be granted. */
	public static final String ALL_SCOPES = "orders:read orders:write analytics:read";

	/** The demo client of DESIGN.md. */
	public static final Client DEMO = new Client("demo-client", "demo-secret");

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");

	private static final Duration MARGIN = Duration.ofMinutes(1);

	private final String gateway;

	private final Client client;

	private final String scope;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private String token;

	private long renewAt;

	/** A client's id and secret. */
	public record Client(String id, String secret) {
	}

	public AccessTokens(String gateway, Client client, String scope) {
		this.gateway = gateway.replaceAll("/$", "");
		this.client = client;
		this.scope = scope;
	}

	/** A valid token, asked for when there is none or it is about to expire. */
	public synchronized String token() throws IOException, InterruptedException {
		if (this.token == null || System.nanoTime() - this.renewAt >= 0) {
			ask();
		}
		return this.token;
	}

	/** Forgets the kept token, which the platform refused: the next one is new. */
	public synchronized void renew() {
		this.token = null;
	}

	/** {@code Bearer <token>}, the value of an {@code Authorization} header. */
	public String header() throws IOException, InterruptedException {
		return "Bearer " + token();
	}

	private void ask() throws IOException, InterruptedException {
		String basic = Base64.getEncoder()
			.encodeToString(
					(form(this.client.id()) + ":" + form(this.client.secret())).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create(this.gateway + "/oauth2/token"))
				.timeout(Duration.ofSeconds(15))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + form(this.scope)))
				.build(), HttpResponse.BodyHandlers.ofString());
		Matcher token = ACCESS_TOKEN.matcher(response.body());
		if (response.statusCode() != 200 || !token.find()) {
			throw new IOException("the token endpoint " + this.gateway + "/oauth2/token refused client '"
					+ this.client.id() + "': " + response.statusCode() + " " + response.body());
		}
		Matcher expires = EXPIRES_IN.matcher(response.body());
		Duration life = expires.find() ? Duration.ofSeconds(Long.parseLong(expires.group(1))) : Duration.ofMinutes(5);
		this.token = token.group(1);
		this.renewAt = System.nanoTime() + Math.max(life.minus(MARGIN).toNanos(), life.toNanos() / 2);
	}

	/** RFC 6749 (2.3.1): the id and secret are form-encoded before Basic encoding. */
	private static String form(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
