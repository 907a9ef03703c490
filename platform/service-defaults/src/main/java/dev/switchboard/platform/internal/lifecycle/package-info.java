/**
 * Process life: stop with the launcher that started us, and scheduled tasks that report
 * outages once.
 */
package dev.switchboard.platform.internal.lifecycle;
