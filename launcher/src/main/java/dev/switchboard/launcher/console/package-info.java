/**
 * The console {@code up} serves on this machine: the platform's topology with each edge's
 * live figures, dead letters, sagas, an order's timeline and trace, and fault buttons.
 */
package dev.switchboard.launcher.console;
