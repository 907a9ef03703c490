/**
 * {@code switchboard chaos}: faults on a schedule under load, then every invariant
 * checked.
 */
package dev.switchboard.launcher.chaos;
