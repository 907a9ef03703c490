/**
 * {@code switchboard logs}: the platform's structured logs, merged in time order and
 * followed.
 */
package dev.switchboard.launcher.logs;
