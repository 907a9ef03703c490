/**
 * Fault injection: latency, errors, duplicated and reordered deliveries, set at run time
 * through an admin endpoint.
 */
package dev.switchboard.platform.internal.fault;
