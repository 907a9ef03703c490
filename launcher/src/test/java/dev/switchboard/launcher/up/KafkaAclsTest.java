package dev.switchboard.launcher.up;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.contracts.access.AccessPolicy;
import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.embedded.CertificateAuthority;
import dev.switchboard.embedded.EmbeddedKafka;
import dev.switchboard.embedded.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaAclsTest {

	private final Set<AclBinding> platform = KafkaAcls.of(AccessPolicy.platform());

	@TempDir
	Path dir;

	@Test
	void onlyPaymentPublishesPaymentEventsAndOnlyOrderWritesSagaCommands() {
		assertThat(writers(topic(Topics.PAYMENT_EVENTS))).containsExactly("payment");
		assertThat(writers(topic(Topics.INVENTORY_COMMANDS))).containsExactly("order");
		assertThat(writers(topic(Topics.SHIPPING_COMMANDS))).containsExactly("order");
		assertThat(writers(topic(Queues.PAYMENT_COMMANDS.name()))).containsExactly("order");
		assertThat(writers(topic(Topics.SAGA_REPLIES))).containsExactlyInAnyOrder("inventory", "payment", "shipping");
	}

	@Test
	void consumersReadTheirTopicsInTheirOwnGroupsAndWriteTheirOwnDeadLetters() {
		assertThat(granted("inventory", topic(Topics.PAYMENT_EVENTS), AclOperation.READ)).isTrue();
		assertThat(granted("shipping", topic(Topics.PAYMENT_EVENTS), AclOperation.READ)).isFalse();
		assertThat(granted("order", new ResourcePattern(ResourceType.GROUP, "order.", PatternType.PREFIXED),
				AclOperation.READ))
			.isTrue();
		assertThat(granted("analytics", new ResourcePattern(ResourceType.GROUP, "analytics.", PatternType.PREFIXED),
				AclOperation.DELETE))
			.as("a rebuild resets its group")
			.isTrue();
		assertThat(granted("inventory",
				new ResourcePattern(ResourceType.TOPIC, Topics.PAYMENT_EVENTS + ".inventory.", PatternType.PREFIXED),
				AclOperation.WRITE))
			.isTrue();
		// Every priority level of a work queue is a topic and a share group of its own.
		String emails = Queues.NOTIFICATION_EMAILS.name();
		for (String level : List.of(emails, emails + ".p1")) {
			assertThat(granted("notification", topic(level), AclOperation.READ)).as(level).isTrue();
			assertThat(granted("notification", new ResourcePattern(ResourceType.GROUP, level, PatternType.LITERAL),
					AclOperation.READ))
				.as(level)
				.isTrue();
		}
		assertThat(granted("payment", topic("dlq." + Queues.PAYMENT_COMMANDS.name()), AclOperation.WRITE)).isTrue();
		// The owner keeps its topic's configuration in line; nobody else may change it.
		assertThat(granted("order", topic(Topics.SAGA_REPLIES), AclOperation.ALTER_CONFIGS)).isTrue();
		assertThat(granted("payment", topic(Topics.SAGA_REPLIES), AclOperation.ALTER_CONFIGS)).isFalse();
	}

	@Test
	void applyingMakesTheBrokersAclsExactlyThePolicys() throws Exception {
		CertificateAuthority authority = CertificateAuthority.create("test-ca");
		for (String name : List.of("kafka", "operator")) {
			authority.issue(name, Duration.ofHours(1)).writeTo(this.dir.resolve(name + ".pem"));
		}
		Files.writeString(this.dir.resolve("trust.pem"), authority.certificatePem());
		try (EmbeddedKafka kafka = EmbeddedKafka.start(this.dir.resolve("log"), FreePorts.next(), FreePorts.next(),
				Duration.ofMillis(500), new EmbeddedKafka.Tls(this.dir.resolve("kafka.pem"),
						this.dir.resolve("trust.pem"), List.of("kafka", "operator")))) {
			Map<String, Object> client = new HashMap<>(
					EmbeddedKafka.Tls.clientConfig(this.dir.resolve("operator.pem"), this.dir.resolve("trust.pem")));
			client.put("bootstrap.servers", kafka.bootstrapServers());
			AclBinding stale = new AclBinding(topic(Topics.PAYMENT_EVENTS),
					new AccessControlEntry("User:shipping", "*", AclOperation.WRITE, AclPermissionType.ALLOW));
			try (Admin admin = Admin.create(client)) {
				admin.createAcls(List.of(stale)).all().get();

				assertThat(KafkaAcls.apply(client, AccessPolicy.platform(), Duration.ofSeconds(30)))
					.isEqualTo(this.platform.size());
				assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get())
					.containsExactlyInAnyOrderElementsOf(this.platform)
					.doesNotContain(stale);
				// Again: nothing to do.
				KafkaAcls.apply(client, AccessPolicy.platform(), Duration.ofSeconds(30));
				assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).hasSameSizeAs(this.platform);
			}
		}
	}

	private List<String> writers(ResourcePattern resource) {
		return this.platform.stream()
			.filter((acl) -> acl.pattern().equals(resource) && acl.entry().operation() == AclOperation.WRITE)
			.map((acl) -> acl.entry().principal().substring("User:".length()))
			.toList();
	}

	private boolean granted(String service, ResourcePattern resource, AclOperation operation) {
		return this.platform.contains(new AclBinding(resource,
				new AccessControlEntry("User:" + service, "*", operation, AclPermissionType.ALLOW)));
	}

	private static ResourcePattern topic(String name) {
		return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
	}

}
