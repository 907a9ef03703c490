package dev.switchboard.notification.adapter.in.web;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal, read-only list of every notification sent, for operators and invariant checks,
 * page by page in id order ({@code ?after=ID&limit=N}): which order, which kind, when.
 */
@RestController
class NotificationListController {

	private final JdbcTemplate jdbc;

	NotificationListController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/internal/notifications")
	List<Map<String, Object>> notifications(@RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.jdbc.queryForList("""
				SELECT id, order_id AS "orderId", kind, sent_at AS "sentAt" FROM notifications
				WHERE id > ? ORDER BY id LIMIT ?""", after, Math.clamp(limit, 1, 10_000));
	}

}
