package dev.switchboard.gateway.web;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request whose body was already read into memory. A form's fields (an
 * {@code application/x-www-form-urlencoded} body, such as a token request) are its
 * parameters, after the query string's, as the servlet container would have made them
 * from the body it can no longer read.
 */
class CachedBodyRequest extends HttpServletRequestWrapper {

	private final byte[] body;

	private Map<String, String[]> parameters;

	CachedBodyRequest(HttpServletRequest request, byte[] body) {
		super(request);
		this.body = body;
	}

	@Override
	public ServletInputStream getInputStream() {
		ByteArrayInputStream in = new ByteArrayInputStream(this.body);
		return new ServletInputStream() {
			@Override
			public int read() {
				return in.read();
			}

			@Override
			public int read(byte[] b, int off, int len) {
				return in.read(b, off, len);
			}

			@Override
			public boolean isFinished() {
				return in.available() == 0;
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setReadListener(ReadListener listener) {
				throw new UnsupportedOperationException("synchronous body");
			}
		};
	}

	@Override
	public BufferedReader getReader() {
		return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
	}

	@Override
	public Map<String, String[]> getParameterMap() {
		if (this.parameters == null) {
			Map<String, String[]> all = new LinkedHashMap<>(super.getParameterMap());
			String type = getContentType();
			if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
				Charset charset = charset(getCharacterEncoding());
				for (String field : new String(this.body, StandardCharsets.ISO_8859_1).split("&")) {
					if (field.isEmpty()) {
						continue;
					}
					int equals = field.indexOf('=');
					String name;
					String value;
					try {
						name = URLDecoder.decode((equals < 0) ? field : field.substring(0, equals), charset);
						value = (equals < 0) ? "" : URLDecoder.decode(field.substring(equals + 1), charset);
					}
					catch (IllegalArgumentException ex) {
						// Malformed percent-encoding: not a field, as the container skips
						// it; the endpoint then answers for the field it misses.
						continue;
					}
					all.merge(name, new String[] { value }, (a, b) -> {
						String[] both = Arrays.copyOf(a, a.length + 1);
						both[a.length] = b[0];
						return both;
					});
				}
			}
			this.parameters = Collections.unmodifiableMap(all);
		}
		return this.parameters;
	}

	/** The charset the client named, if this JVM knows it; UTF-8 otherwise. */
	private static Charset charset(String name) {
		try {
			return (name != null) ? Charset.forName(name) : StandardCharsets.UTF_8;
		}
		catch (IllegalArgumentException ex) {
			return StandardCharsets.UTF_8;
		}
	}

	@Override
	public String getParameter(String name) {
		String[] values = getParameterMap().get(name);
		return (values != null && values.length > 0) ? values[0] : null;
	}

	@Override
	public String[] getParameterValues(String name) {
		String[] values = getParameterMap().get(name);
		return (values != null) ? values.clone() : null;
	}

	@Override
	public Enumeration<String> getParameterNames() {
		return Collections.enumeration(getParameterMap().keySet());
	}

	@Override
	public int getContentLength() {
		return this.body.length;
	}

	@Override
	public long getContentLengthLong() {
		return this.body.length;
	}

}
