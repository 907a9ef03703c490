/**
 * The switchboard command: starts and supervises the platform, loads, benchmarks, breaks
 * and inspects it.
 */
package dev.switchboard.launcher;
