package dev.switchboard.order.adapter.out.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.order.application.port.out.ParticipantProgress;
import dev.switchboard.order.application.port.out.PaymentCommands;
import dev.switchboard.order.domain.saga.StepName;
import dev.switchboard.order.domain.saga.StepProgress;

import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import dev.switchboard.platform.security.InternalHttp;
import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Asks a participant's {@code /internal/messages/status} (every service has it) where it
 * is with the messages of overdue steps. The participants' addresses are
 * {@code switchboard.services.<name>.url}; a participant without one is not asked, and
 * its overdue steps time out as soon as their deadline passes.
 *
 * <p>
 * A participant that cannot be reached is one that is down, restarting or cut off: its
 * steps wait. The question is bounded by short timeouts, as the saga's clock waits for
 * it.
 */
@Component
class HttpParticipantProgress implements ParticipantProgress {

	private static final Logger log = LoggerFactory.getLogger(HttpParticipantProgress.class);

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

	/** The status endpoint takes at most this many ids at a time. */
	private static final int MAX_IDS = 1000;

	private final Map<StepName, Participant> participants = new HashMap<>();

	HttpParticipantProgress(Environment environment, ServiceCredential credential, InternalHttp http,
			RestClient.Builder builder) {
		// The status endpoint is an operator endpoint: it takes the admin token, which
		// every service of the platform has.
		String token = environment.getProperty("switchboard.admin.token", "");
		Map<StepName, String> asked = Map.of(StepName.CHARGE, "payment", StepName.ALLOCATE, "inventory", StepName.SHIP,
				"shipping");
		asked.forEach((step, name) -> {
			String url = environment.getProperty("switchboard.services." + name + ".url");
			if (url != null && !url.isBlank()) {
				// Over mutual TLS to that participant when the internal hops speak
				// it; from Spring Boot's builder, so that each question is a span of
				// the saga clock's trace and the participant's answer joins it.
				this.participants.put(step,
						new Participant(name,
								builder.clone()
									.baseUrl(url)
									.requestFactory(http.requestsTo(name, CONNECT_TIMEOUT, READ_TIMEOUT))
									.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
									.defaultHeaders((headers) -> {
										if (credential.present()) {
											headers.set(ServiceCredential.HEADER, credential.value());
										}
									})
									.build()));
			}
		});
	}

	@Override
	public Map<String, StepProgress> of(StepName step, Collection<String> messageIds) {
		Participant participant = this.participants.get(step);
		Map<String, StepProgress> progress = new HashMap<>();
		if (participant == null) {
			return progress;
		}
		// A synchronous call's step waits in no queue: the participant took it or the
		// call
		// failed, and it never saw the step's trigger (the call's own id). Such overdue
		// steps time out. (With the orchestrated saga's charge on gRPC, a choreographed
		// saga's charge is still an event payment takes, and is asked about.)
		List<String> ids = messageIds.stream()
			.filter((id) -> !id.startsWith(PaymentCommands.CALL_TRIGGER_PREFIX))
			.toList();
		for (int from = 0; from < ids.size(); from += MAX_IDS) {
			List<String> some = ids.subList(from, Math.min(ids.size(), from + MAX_IDS));
			try {
				StatusResponse response = participant.client()
					.post()
					.uri("/internal/messages/status")
					.contentType(MediaType.APPLICATION_JSON)
					.body(new StatusRequest(some))
					.retrieve()
					.body(StatusResponse.class);
				if (response != null && response.messages() != null) {
					response.messages().forEach((m) -> progress.put(m.id(), progressOf(participant.name(), m)));
				}
			}
			catch (RestClientException ex) {
				log.info("Could not ask {} about {} overdue {} steps ({}); they wait", participant.name(), some.size(),
						step.name().toLowerCase(), ex.getMessage());
				StepProgress unreachable = new StepProgress.Waiting(participant.name() + " cannot be reached");
				some.forEach((id) -> progress.put(id, unreachable));
			}
		}
		return progress;
	}

	private static StepProgress progressOf(String participant, MessageStatus status) {
		return switch (status.state()) {
			case "IN_PROGRESS" -> new StepProgress.Started(status.since());
			case "DONE" -> status.outputPending()
					? new StepProgress.Waiting(participant + " answered; the answer waits in its outbox")
					: new StepProgress.Started(status.since());
			default -> new StepProgress.Waiting(participant + " has not taken it yet");
		};
	}

	private record Participant(String name, RestClient client) {
	}

	record StatusRequest(List<String> ids) {
	}

	record StatusResponse(List<MessageStatus> messages) {
	}

	record MessageStatus(String id, String state, Instant since, boolean outputPending) {
	}

}
