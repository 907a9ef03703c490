package dev.switchboard.gateway.web;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reach a controller are problem+json too, whatever the client accepts:
 * those the servlet container dispatches to {@code /error} (a request Spring Security's
 * firewall rejects, an exception no handler answered) and those Tomcat answers itself
 * before any application code, such as a path with an encoded slash, backslash or NUL,
 * which its own error report would answer with an HTML page.
 */
@Configuration(proxyBeanMethods = false)
class ProblemErrors {

	@Bean
	TomcatContextCustomizer problemErrorReports() {
		// The host's error report valves (Tomcat's default, and the one Spring Boot adds)
		// are swapped for this one once every customizer has run, as the context starts.
		return (context) -> context.addLifecycleListener((event) -> {
			if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
				return;
			}
			Pipeline pipeline = context.getParent().getPipeline();
			for (Valve valve : pipeline.getValves()) {
				if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
					pipeline.removeValve(valve);
				}
			}
			if (!(pipeline.getValves().length > 0
					&& java.util.Arrays.stream(pipeline.getValves()).anyMatch(ProblemReportValve.class::isInstance))) {
				pipeline.addValve(new ProblemReportValve());
			}
		});
	}

	/** Tomcat's own error answers, as problem+json. */
	static final class ProblemReportValve extends ErrorReportValve {

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int status = response.getStatus();
			if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			try {
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				response.setCharacterEncoding("UTF-8");
				Writer writer = response.getReporter();
				if (writer != null) {
					HttpStatus known = HttpStatus.resolve(status);
					writer.write("{\"type\":\"about:blank\",\"title\":\""
							+ ((known != null) ? known.getReasonPhrase() : "Error") + "\",\"status\":" + status
							+ ",\"detail\":\""
							+ ((status == 400) ? "the request could not be read as HTTP (its path "
									+ "or headers hold what the server refuses, such as an encoded slash or NUL)"
									: "the server refused the request")
							+ "\"}");
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The client is gone, or the answer was already under way: nothing to
				// add.
			}
		}

	}

	/** What the container dispatches to {@code /error}. */
	@RestController
	static class ErrorEndpoint implements ErrorController {

		@RequestMapping("/error")
		ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
			Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
			HttpStatus status = HttpStatus.resolve((code instanceof Integer value) ? value : 500);
			if (status == null || !status.isError()) {
				status = HttpStatus.INTERNAL_SERVER_ERROR;
			}
			String detail = (status == HttpStatus.BAD_REQUEST)
					? "the request was refused before it was read (a path or header the server does not accept)"
					: (status.is5xxServerError() ? "the gateway failed to answer" : status.getReasonPhrase());
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
			Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
			if (uri instanceof String path && !path.isEmpty()) {
				problem.setProperties(Map.of("path", path));
			}
			return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
		}

	}

}
