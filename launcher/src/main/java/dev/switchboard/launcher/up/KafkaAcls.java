package dev.switchboard.launcher.up;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import dev.switchboard.contracts.access.AccessPolicy;
import dev.switchboard.contracts.events.TopicSpec;
import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.contracts.queues.Queues;

import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

/**
 * The embedded broker's ACLs, made from the {@code kafka} section of the access policy
 * (what each grant there implies is written next to it, in the policy file). The broker
 * refuses whatever no ACL allows, except to its own identity and the operator's.
 */
final class KafkaAcls {

	private KafkaAcls() {
	}

	/** Every ACL the policy implies. */
	static Set<AclBinding> of(AccessPolicy policy) {
		Set<AclBinding> acls = new LinkedHashSet<>();
		policy.topics().forEach((topic, flow) -> {
			ResourcePattern literal = topic(topic);
			for (String producer : flow.producers()) {
				allow(acls, producer, literal, WRITE, DESCRIBE, CREATE);
			}
			for (String consumer : flow.consumers()) {
				allow(acls, consumer, literal, READ, DESCRIBE, CREATE);
				// Its dead letters: <topic>.<service>.<subscription>.dlt, created and
				// configured (retention) by the service itself.
				allow(acls, consumer,
						new ResourcePattern(ResourceType.TOPIC, topic + "." + consumer + ".", PatternType.PREFIXED),
						WRITE, DESCRIBE, CREATE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
				// Its consumer groups, which it may also reset (analytics' rebuild
				// deletes
				// its group's offsets to read the stream again).
				allow(acls, consumer, new ResourcePattern(ResourceType.GROUP, consumer + ".", PatternType.PREFIXED),
						READ, DESCRIBE, DELETE);
			}
			// Its writer declares its configuration and keeps the topic in line with it.
			Topics.ALL.stream()
				.filter((spec) -> spec.name().equals(topic))
				.map(TopicSpec::owner)
				.forEach((owner) -> allow(acls, owner, literal, CREATE, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS));
		});
		policy.queues().forEach((queue, flow) -> {
			List<String> levels = levelsOf(queue);
			ResourcePattern deadLetters = topic(QueueSpec.named(queue).deadLetterName());
			Set<String> participants = new LinkedHashSet<>(flow.producers());
			participants.addAll(flow.consumers());
			for (String level : levels) {
				// Either side may declare the queue: create its topics, configure its
				// share groups.
				for (String participant : participants) {
					allow(acls, participant, topic(level), CREATE, DESCRIBE);
					allow(acls, participant, group(level), DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
				}
				for (String producer : flow.producers()) {
					allow(acls, producer, topic(level), WRITE);
				}
				for (String consumer : flow.consumers()) {
					allow(acls, consumer, topic(level), READ);
					allow(acls, consumer, group(level), READ);
				}
			}
			for (String participant : participants) {
				allow(acls, participant, deadLetters, CREATE, DESCRIBE);
			}
			for (String consumer : flow.consumers()) {
				allow(acls, consumer, deadLetters, WRITE);
			}
		});
		return acls;
	}

	/**
	 * Makes the broker's ACLs exactly those the policy implies: what is missing is added,
	 * what the policy no longer grants is removed.
	 */
	static int apply(Map<String, Object> client, AccessPolicy policy, Duration timeout) throws Exception {
		Set<AclBinding> wanted = of(policy);
		try (Admin admin = Admin.create(client)) {
			Collection<AclBinding> present = admin.describeAcls(AclBindingFilter.ANY)
				.values()
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			List<AclBindingFilter> stale = present.stream()
				.filter((acl) -> !wanted.contains(acl))
				.map(AclBinding::toFilter)
				.toList();
			if (!stale.isEmpty()) {
				admin.deleteAcls(stale).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			List<AclBinding> missing = new ArrayList<>(wanted);
			missing.removeAll(present);
			if (!missing.isEmpty()) {
				admin.createAcls(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		return wanted.size();
	}

	/** The topic (and share group) of each of the queue's priority levels. */
	private static List<String> levelsOf(String queue) {
		QueueSpec spec = Queues.ALL.stream()
			.filter((declared) -> declared.name().equals(queue))
			.findFirst()
			.orElse(QueueSpec.named(queue));
		return IntStream.range(0, spec.priorities()).mapToObj(spec::levelName).toList();
	}

	private static ResourcePattern topic(String name) {
		return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
	}

	private static ResourcePattern group(String name) {
		return new ResourcePattern(ResourceType.GROUP, name, PatternType.LITERAL);
	}

	private static void allow(Set<AclBinding> acls, String service, ResourcePattern resource,
			AclOperation... operations) {
		for (AclOperation operation : operations) {
			acls.add(new AclBinding(resource,
					new AccessControlEntry("User:" + service, "*", operation, AclPermissionType.ALLOW)));
		}
	}

}
