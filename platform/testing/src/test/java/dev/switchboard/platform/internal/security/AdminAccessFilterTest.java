package dev.switchboard.platform.internal.security;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class AdminAccessFilterTest {

	@Test
	void guardsTheOperatorPathsAndNothingElse() {
		assertThat(guarded("/internal/stock")).isTrue();
		assertThat(guarded("/internal")).isTrue();
		assertThat(guarded("/admin/faults")).isTrue();
		assertThat(guarded("/Admin/rebuild")).as("case").isTrue();
		assertThat(guarded("/INTERNAL/payments")).isTrue();
		assertThat(guarded("/internals")).isFalse();
		assertThat(guarded("/orders/o-1/notifications")).isFalse();
		assertThat(guarded("/summary")).isFalse();
		assertThat(guarded("/actuator/health")).isFalse();
	}

	@Test
	void theRightTokenPasses() throws Exception {
		MockHttpServletResponse response = filter(new AdminAccessFilter("s3cret"), "Bearer s3cret");
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void noTokenOrAWrongOneIsUnauthorised() throws Exception {
		for (String authorization : new String[] { null, "Bearer guess", "Bearer s3cre", "Basic s3cret", "s3cret" }) {
			MockHttpServletResponse response = filter(new AdminAccessFilter("s3cret"), authorization);
			assertThat(response.getStatus()).as(authorization).isEqualTo(401);
			assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"switchboard-admin\"");
			assertThat(response.getContentType()).startsWith("application/problem+json");
			assertThat(response.getContentAsString()).contains("\"status\":401");
		}
	}

	@Test
	void aServiceWithoutATokenKeepsThemClosed() throws Exception {
		for (String token : new String[] { null, "", " " }) {
			MockHttpServletResponse response = filter(new AdminAccessFilter(token), "Bearer ");
			assertThat(response.getStatus()).isEqualTo(403);
			assertThat(response.getContentAsString()).contains("no switchboard.admin.token");
		}
	}

	@Test
	void otherPathsPassWithoutAToken() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/summary");
		request.setServletPath("/summary");
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		new AdminAccessFilter("s3cret").doFilter(request, response, chain);
		assertThat(chain.getRequest()).isSameAs(request);
	}

	private static boolean guarded(String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setServletPath(path);
		return AdminAccessFilter.guards(request);
	}

	private static MockHttpServletResponse filter(AdminAccessFilter filter, String authorization) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/internal/stock");
		request.setServletPath("/internal/stock");
		if (authorization != null) {
			request.addHeader("Authorization", authorization);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		filter.doFilter(request, response, chain);
		if (chain.getRequest() != null) {
			response.setStatus(200);
		}
		return response;
	}

}
