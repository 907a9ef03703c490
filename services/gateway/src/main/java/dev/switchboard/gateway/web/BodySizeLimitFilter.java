package dev.switchboard.gateway.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over the limit with 413 before anything reads them. Requests
 * that declare their length are judged on it; chunked ones are read up to the limit plus
 * one byte. The servlet container has no such limit for JSON bodies, hence this filter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodySizeLimitFilter extends OncePerRequestFilter {

	private final long limit;

	BodySizeLimitFilter(@Value("${switchboard.gateway.max-body-size:64KB}") DataSize limit) {
		this.limit = limit.toBytes();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared > this.limit) {
			reject(response);
			return;
		}
		if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
			byte[] body = request.getInputStream().readNBytes((int) this.limit + 1);
			if (body.length > this.limit) {
				reject(response);
				return;
			}
			chain.doFilter(new CachedBodyRequest(request, body), response);
			return;
		}
		chain.doFilter(request, response);
	}

	private void reject(HttpServletResponse response) throws IOException {
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Connection", "close");
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
					+ "\"detail\":\"request body exceeds " + this.limit + " bytes\"}");
	}

}
