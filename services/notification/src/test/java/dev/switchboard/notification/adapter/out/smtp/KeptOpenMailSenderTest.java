package dev.switchboard.notification.adapter.out.smtp;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.embedded.FreePorts;
import dev.switchboard.embedded.MailSink;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real SMTP server: the mail sink the platform runs by default. */
class KeptOpenMailSenderTest {

	@TempDir
	Path directory;

	MailSink sink;

	KeptOpenMailSender sender;

	@AfterEach
	void close() {
		this.sender.destroy();
		this.sink.close();
	}

	private KeptOpenMailSender senderTo(int port) {
		JavaMailSenderImpl configured = new JavaMailSenderImpl();
		configured.setHost("127.0.0.1");
		configured.setPort(port);
		configured.getJavaMailProperties().setProperty("mail.smtp.timeout", "5000");
		return KeptOpenMailSender.copyOf(configured);
	}

	private static SimpleMailMessage mail(String subject) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom("orders@switchboard.test");
		message.setTo("someone@customers.switchboard.test");
		message.setSubject(subject);
		message.setText("body of " + subject);
		return message;
	}

	@Test
	void sendsMessagesOneAfterAnotherOverOneConnection() throws Exception {
		this.sink = MailSink.start(this.directory, FreePorts.next());
		this.sender = senderTo(this.sink.port());

		for (int i = 0; i < 5; i++) {
			this.sender.send(mail("message " + i));
		}

		assertThat(this.sink.received()).isEqualTo(5);
		assertThat(this.sink.sessions()).isOne();
	}

	@Test
	void sendsOnANewConnectionWhenTheServerDroppedTheOldOne() throws Exception {
		int port = FreePorts.next();
		this.sink = MailSink.start(this.directory.resolve("first"), port);
		this.sender = senderTo(port);
		this.sender.send(mail("before the restart"));

		this.sink.close();
		this.sink = MailSink.start(this.directory.resolve("second"), port);
		this.sender.send(mail("after the restart"));

		assertThat(this.sink.received()).isOne();
		try (var files = Files.list(this.directory.resolve("second"))) {
			assertThat(Files.readString(files.findFirst().orElseThrow())).contains("after the restart");
		}
	}

}
