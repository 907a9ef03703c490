/**
 * The pattern lab's relay: a call passed from service to service through the platform's
 * own edges, for {@code switchboard bench chain --platform}.
 */
package dev.switchboard.platform.internal.lab;
