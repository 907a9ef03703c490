/** Driving adapter of the shipping service: HTTP calls into its use cases. */
package dev.switchboard.shipping.adapter.in.web;
