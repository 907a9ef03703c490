/**
 * Analytics: a summary of orders built from the order event stream, rebuildable by
 * replay.
 */
package dev.switchboard.analytics;
