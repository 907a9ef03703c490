package dev.switchboard.platform.internal.messaging;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /internal/messages/status} with {@code {"ids": [...]}}: where this service
 * is with each message ({@link MessageProgress}), at most {@value #MAX_IDS} at a time. A
 * query, sent as a POST so that a few hundred ids fit in one request.
 */
@RestController
class MessageStatusController {

	static final int MAX_IDS = 1000;

	private final MessageProgress progress;

	MessageStatusController(MessageProgress progress) {
		this.progress = progress;
	}

	@PostMapping("/internal/messages/status")
	StatusResponse status(@RequestBody StatusRequest request) {
		List<String> ids = (request == null || request.ids() == null) ? List.of() : request.ids();
		if (ids.size() > MAX_IDS || ids.stream().anyMatch((id) -> id == null || id.isBlank() || id.length() > 200)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"ids must be at most " + MAX_IDS + " non-blank message ids of at most 200 characters");
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
		}
		return new StatusResponse(this.progress.statusOf(ids));
	}

	record StatusRequest(List<String> ids) {
	}

	record StatusResponse(List<MessageProgress.Status> messages) {
	}

}
