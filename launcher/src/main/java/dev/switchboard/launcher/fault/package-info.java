/**
 * {@code switchboard fault}: slow or failing calls and queue messages injected into one
 * service.
 */
package dev.switchboard.launcher.fault;
