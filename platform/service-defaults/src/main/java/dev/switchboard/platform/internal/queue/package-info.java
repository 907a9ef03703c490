/**
 * What both work-queue bindings share: attempts and their backoff, the consumers' life
 * cycle, and the binding chosen by configuration.
 */
package dev.switchboard.platform.internal.queue;
