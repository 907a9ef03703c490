package dev.switchboard.launcher.load;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

import dev.switchboard.embedded.CertificateAuthority;

/**
 * Echo servers with nothing of the platform on them, in the bench's own process: the
 * baselines its hops are measured against. Each answers what it is sent: a raw TCP socket
 * (a 4-byte length, then the bytes), a grpc-java server (one unary method over bytes, no
 * protobuf), Tomcat (one servlet) and Netty (one handler) over HTTP/1.1; the gRPC and
 * Tomcat ones also over mutual TLS with ECDSA P-256 certificates like the platform's
 * (from an authority made for the run).
 */
final class BareServers implements AutoCloseable {

	static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("switchboard.bench.Echo/Echo")
		.setRequestMarshaller(Bytes.INSTANCE)
		.setResponseMarshaller(Bytes.INSTANCE)
		.build();

	/** Tomcat logs through java.util.logging; its start and stop are no news here. */
	private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

	static {
		TOMCAT_LOG.setLevel(java.util.logging.Level.SEVERE);
	}

	private final CertificateAuthority authority = CertificateAuthority.create("Bench CA");

	private final Path directory;

	private final Path identity;

	private final Path trust;

	private final ServerSocket tcp;

	private final Server grpc;

	private final Server grpcMtls;

	private final Tomcat tomcat;

	private final int tomcatPort;

	private final int tomcatMtlsPort;

	private final EventLoopGroup netty;

	private final Channel nettyChannel;

	BareServers() throws Exception {
		this.directory = Files.createTempDirectory("switchboard-bench");
		CertificateAuthority.Issued issued = this.authority.issue("bench", Duration.ofHours(12), List.of("127.0.0.1"));
		this.identity = this.directory.resolve("bench.pem");
		this.trust = this.directory.resolve("trust.pem");
		issued.writeTo(this.identity);
		Files.writeString(this.trust, this.authority.certificatePem());
		this.tcp = tcpEcho();
		ServerServiceDefinition echo = ServerServiceDefinition.builder("switchboard.bench.Echo")
			.addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(request);
				response.onCompleted();
			}))
			.build();
		this.grpc = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(echo)
			.build()
			.start();
		byte[] pem = issued.pem().getBytes(StandardCharsets.US_ASCII);
		this.grpcMtls = Grpc
			.newServerBuilderForPort(0, TlsServerCredentials.newBuilder()
				.keyManager(new ByteArrayInputStream(pem), new ByteArrayInputStream(pem))
				.trustManager(
						new ByteArrayInputStream(this.authority.certificatePem().getBytes(StandardCharsets.US_ASCII)))
				.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
				.build())
			.addService(echo)
			.build()
			.start();
		this.tomcat = new Tomcat();
		this.tomcat.setBaseDir(this.directory.resolve("tomcat").toString());
		Connector plain = new Connector();
		plain.setPort(0);
		plain.setProperty("address", "127.0.0.1");
		plain.setProperty("maxKeepAliveRequests", "-1");
		this.tomcat.setConnector(plain);
		Connector mutual = mutualTlsConnector(issued);
		this.tomcat.getService().addConnector(mutual);
		Context context = this.tomcat.addContext("", null);
		Tomcat.addServlet(context, "echo", new EchoServlet());
		context.addServletMappingDecoded("/echo", "echo");
		this.tomcat.start();
		this.tomcatPort = plain.getLocalPort();
		this.tomcatMtlsPort = mutual.getLocalPort();
		this.netty = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		this.nettyChannel = new ServerBootstrap().group(this.netty)
			.channel(NioServerSocketChannel.class)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast(new HttpServerCodec(), new HttpObjectAggregator(16 << 20), new NettyEcho());
				}
			})
			.bind(InetAddress.getLoopbackAddress(), 0)
			.sync()
			.channel();
	}

	private Connector mutualTlsConnector(CertificateAuthority.Issued issued) throws Exception {
		char[] password = "bench".toCharArray();
		Path keyStore = this.directory.resolve("bench.p12");
		Path trustStore = this.directory.resolve("trust.p12");
		issued.writeKeyStoreTo(keyStore, password);
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		trusted.load(null, null);
		trusted.setCertificateEntry("authority", this.authority.certificate());
		try (OutputStream out = Files.newOutputStream(trustStore)) {
			trusted.store(out, password);
		}
		Connector connector = new Connector();
		connector.setPort(0);
		connector.setProperty("address", "127.0.0.1");
		connector.setProperty("maxKeepAliveRequests", "-1");
		connector.setSecure(true);
		connector.setScheme("https");
		connector.setProperty("SSLEnabled", "true");
		SSLHostConfig host = new SSLHostConfig();
		host.setCertificateVerification("required");
		host.setTruststoreFile(trustStore.toString());
		host.setTruststorePassword("bench");
		host.setTruststoreType("PKCS12");
		SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host,
				SSLHostConfigCertificate.Type.UNDEFINED);
		certificate.setCertificateKeystoreFile(keyStore.toString());
		certificate.setCertificateKeystorePassword("bench");
		certificate.setCertificateKeystoreType("PKCS12");
		host.addCertificate(certificate);
		connector.addSslHostConfig(host);
		return connector;
	}

	/** A client TLS context with this run's certificate, trusting its authority. */
	SSLContext clientTls() {
		return CertificateAuthority.tlsContext(this.identity, this.trust);
	}

	/** A new connection to the TCP echo server, framed as it expects. */
	Hops.Caller tcpCaller(byte[] payload) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.tcp.getLocalPort());
		socket.setTcpNoDelay(true);
		DataOutputStream out = new DataOutputStream(socket.getOutputStream());
		DataInputStream in = new DataInputStream(socket.getInputStream());
		byte[] answer = new byte[payload.length];
		return new Hops.Caller() {
			@Override
			public void call() throws IOException {
				out.writeInt(payload.length);
				out.write(payload);
				out.flush();
				int length = in.readInt();
				if (length != payload.length) {
					throw new IOException("the echo answered " + length + " bytes for " + payload.length);
				}
				in.readFully(answer);
			}

			@Override
			public void close() throws IOException {
				socket.close();
			}
		};
	}

	/** A new channel (one connection) to the gRPC echo server. */
	Hops.Caller grpcCaller(byte[] payload, boolean mutualTls) throws IOException {
		ChannelCredentials credentials = mutualTls ? TlsChannelCredentials.newBuilder()
			.keyManager(this.identity.toFile(), this.identity.toFile())
			.trustManager(this.trust.toFile())
			.build() : InsecureChannelCredentials.create();
		ManagedChannel channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", (mutualTls ? this.grpcMtls : this.grpc).getPort(), credentials)
			.build();
		return new Hops.Caller() {
			@Override
			public void call() {
				byte[] answer = ClientCalls.blockingUnaryCall(channel, ECHO,
						CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), payload);
				if (answer.length != payload.length) {
					throw new IllegalStateException("the echo answered " + answer.length + " bytes");
				}
			}

			@Override
			public void close() throws InterruptedException {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		};
	}

	String tomcatUrl(boolean mutualTls) {
		return mutualTls ? "https://127.0.0.1:" + this.tomcatMtlsPort + "/echo"
				: "http://127.0.0.1:" + this.tomcatPort + "/echo";
	}

	String nettyUrl() {
		return "http://127.0.0.1:" + ((java.net.InetSocketAddress) this.nettyChannel.localAddress()).getPort()
				+ "/echo";
	}

	private static ServerSocket tcpEcho() throws IOException {
		ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
		Thread.ofPlatform().daemon().name("bench-tcp-echo").start(() -> {
			while (!server.isClosed()) {
				try {
					Socket socket = server.accept();
					socket.setTcpNoDelay(true);
					Thread.ofPlatform().daemon().start(() -> echo(socket));
				}
				catch (IOException ex) {
					return; // closed
				}
			}
		});
		return server;
	}

	private static void echo(Socket socket) {
		try (socket) {
			DataInputStream in = new DataInputStream(socket.getInputStream());
			DataOutputStream out = new DataOutputStream(socket.getOutputStream());
			byte[] buffer = new byte[0];
			while (true) {
				int length = in.readInt();
				if (buffer.length < length) {
					buffer = new byte[length];
				}
				in.readFully(buffer, 0, length);
				out.writeInt(length);
				out.write(buffer, 0, length);
				out.flush();
			}
		}
		catch (IOException ex) {
			// the client closed its connection
		}
	}

	@Override
	public void close() throws Exception {
		this.tcp.close();
		this.grpc.shutdownNow();
		this.grpcMtls.shutdownNow();
		this.tomcat.stop();
		this.tomcat.destroy();
		this.nettyChannel.close().sync();
		this.netty.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		try (var files = Files.walk(this.directory)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	/** Echoes the request body, with its length. */
	private static final class EchoServlet extends HttpServlet {

		@Override
		protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
			byte[] body = request.getInputStream().readAllBytes();
			response.setContentType("application/octet-stream");
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
		}

	}

	/** Echoes the request body, keeping the connection open. */
	private static final class NettyEcho extends SimpleChannelInboundHandler<FullHttpRequest> {

		@Override
		protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
			FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
					Unpooled.copiedBuffer(request.content()));
			response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
			HttpUtil.setContentLength(response, response.content().readableBytes());
			HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
			context.writeAndFlush(response);
		}

	}

	/** Bytes as they are: no protobuf, no copy beyond gRPC's own. */
	private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {

		INSTANCE;

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
