/** Driving adapter of the analytics service: HTTP calls into its use cases. */
package dev.switchboard.analytics.adapter.in.web;
