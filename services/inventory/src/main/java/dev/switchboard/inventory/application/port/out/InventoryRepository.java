package dev.switchboard.inventory.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.switchboard.inventory.domain.HeldReservation;
import dev.switchboard.inventory.domain.Product;
import dev.switchboard.inventory.domain.Reservation;
import dev.switchboard.inventory.domain.ReservationState;
import dev.switchboard.inventory.domain.ReservedLine;

/**
 * Stock and reservations as stored. Every method runs in the caller's transaction.
 */
public interface InventoryRepository {

	List<Product> findAllProducts();

	Optional<Product> findProduct(String sku);

	/**
	 * Creates an empty reservation made by {@code attempt}; {@code false} when the order
	 * has one already.
	 */
	boolean createReservation(String orderId, String attempt);

	/**
	 * Records that the order's reservation is released before any was made, so that a
	 * reservation by that attempt arriving later is refused; {@code false} when the order
	 * has one already.
	 */
	boolean createReleasedMarker(String orderId, String attempt);

	/**
	 * Makes a released reservation a new, empty one of {@code attempt} (its old lines
	 * gone), unless that attempt is the one it was made or given up by; {@code false}
	 * when it was not released or is that attempt's.
	 */
	boolean reopen(String orderId, String attempt);

	Optional<Reservation> findReservation(String orderId);

	/**
	 * Reservations RESERVED since before {@code before}, by order id, after
	 * {@code afterOrderId}.
	 */
	List<HeldReservation> reservedBefore(Instant before, String afterOrderId, int limit);

	/**
	 * Moves {@code quantity} of {@code sku} from available to reserved if that much is
	 * available, atomically; returns the unit price, or empty when it was not.
	 */
	OptionalLong takeStock(String sku, int quantity);

	void addLine(String orderId, ReservedLine line);

	/**
	 * Moves the reservation from {@code from} to {@code to}; {@code false} if it was not
	 * in {@code from}.
	 */
	boolean transition(String orderId, ReservationState from, ReservationState to);

	/** Reserved back to available. */
	void returnStock(String sku, int quantity);

	/** Reserved to shipped (allocated to a shipment). */
	void shipStock(String sku, int quantity);

	/** Shipped back to reserved (an allocation undone). */
	void unshipStock(String sku, int quantity);

}
