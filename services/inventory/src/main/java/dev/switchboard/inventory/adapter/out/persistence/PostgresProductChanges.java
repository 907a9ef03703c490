package dev.switchboard.inventory.adapter.out.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.inventory.application.port.out.ProductChangeFeed;
import dev.switchboard.inventory.domain.ProductChange;
import dev.switchboard.inventory.domain.ProductWatcher;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Product changes as PostgreSQL announces them ({@code LISTEN product_changed}; the
 * trigger of migration V5 notifies on every committed change of stock or price), so a
 * watcher hears of every change whichever instance, or operator, made it. One connection
 * of the pool is held for the purpose by one thread. When it breaks, watchers are told
 * they may have missed changes ({@link ProductWatcher#resync()}) as soon as it listens
 * again.
 *
 * <p>
 * Written here because no library offers it: Spring Integration's PostgreSQL subscriber
 * serves its own message tables, not an application's channel.
 */
@Component
class PostgresProductChanges implements ProductChangeFeed, SmartLifecycle {

	static final String CHANNEL = "product_changed";

	private static final Logger log = LoggerFactory.getLogger(PostgresProductChanges.class);

	/** How long each wait for notifications lasts: how soon {@link #stop()} is seen. */
	private static final int POLL_MILLIS = 250;

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private final DataSource dataSource;

	private final Set<ProductWatcher> watchers = new CopyOnWriteArraySet<>();

	private volatile boolean running;

	private volatile boolean listening;

	private Thread listener;

	PostgresProductChanges(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public Subscription subscribe(ProductWatcher watcher) {
		this.watchers.add(watcher);
		if (this.listening) {
			watcher.resync();
		}
		// Otherwise resync() comes when the listener is listening.
		return () -> this.watchers.remove(watcher);
	}

	private void run() {
		Duration backoff = Duration.ofMillis(100);
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("LISTEN " + CHANNEL);
				PGConnection notifications = connection.unwrap(PGConnection.class);
				this.listening = true;
				backoff = Duration.ofMillis(100);
				this.watchers.forEach(ProductWatcher::resync);
				while (this.running) {
					PGNotification[] received = notifications.getNotifications(POLL_MILLIS);
					if (received != null) {
						for (PGNotification notification : received) {
							dispatch(notification.getParameter());
						}
					}
				}
				statement.execute("UNLISTEN " + CHANNEL);
			}
			catch (SQLException | RuntimeException ex) {
				if (this.running) {
					log.warn("Listening for product changes failed; watchers will be told to resync once it listens "
							+ "again, in {}", backoff, ex);
					this.listening = false;
					LockSupport.parkNanos(backoff.toNanos());
					backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
				}
			}
			finally {
				this.listening = false;
			}
		}
	}

	private void dispatch(String payload) {
		ProductChange change;
		try {
			change = ProductChange.parse(payload);
		}
		catch (IllegalArgumentException ex) {
			log.warn("Ignoring a notification on {}: {}", CHANNEL, ex.getMessage());
			return;
		}
		for (ProductWatcher watcher : this.watchers) {
			try {
				watcher.changed(change);
			}
			catch (RuntimeException ex) {
				log.warn("A product watcher failed on {}", change, ex);
			}
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	@Override
	public void start() {
		this.running = true;
		this.listener = Thread.ofPlatform().name("product-changes").daemon().start(this::run);
	}

	@Override
	public void stop() {
		this.running = false;
		try {
			this.listener.join(Duration.ofSeconds(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
