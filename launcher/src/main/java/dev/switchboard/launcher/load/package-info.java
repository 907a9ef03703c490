/**
 * {@code switchboard load} and {@code switchboard bench}: orders at a rate, and what each
 * order costs against the floor measured in the same run.
 */
package dev.switchboard.launcher.load;
