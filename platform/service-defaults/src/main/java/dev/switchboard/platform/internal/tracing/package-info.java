/**
 * W3C trace context carried through messages, so a trace follows an order across
 * asynchronous hops.
 */
package dev.switchboard.platform.internal.tracing;
