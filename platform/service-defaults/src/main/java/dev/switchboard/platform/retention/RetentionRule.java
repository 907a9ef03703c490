package dev.switchboard.platform.retention;

import java.time.Duration;
import java.util.Objects;

/**
 * Rows of one table that this service deletes once they are older than {@code keep}. A
 * service declares a bean of this type for each table it prunes; the platform runs them
 * all ({@link RetentionJob}).
 *
 * @param name what the rows are, for logs and the {@code switchboard.retention.deleted}
 * metric
 * @param table the table, schema-qualified if it is not in the service's own schema
 * @param olderThan the SQL condition that selects the rows to delete, with one {@code ?}
 * for the cutoff instant (now minus {@code keep}), e.g. {@code "created_at < ?"}
 */
public record RetentionRule(String name, String table, String olderThan, Duration keep) {

	public RetentionRule {
		Objects.requireNonNull(name);
		Objects.requireNonNull(table);
		Objects.requireNonNull(olderThan);
		if (keep == null || keep.isNegative() || keep.isZero()) {
			throw new IllegalArgumentException("Rows of " + name + " must be kept for a positive time, not " + keep);
		}
		if (olderThan.chars().filter((c) -> c == '?').count() != 1) {
			throw new IllegalArgumentException("The condition of " + name + " must have exactly one ? (the cutoff)");
		}
	}

}
