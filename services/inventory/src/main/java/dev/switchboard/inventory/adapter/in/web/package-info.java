/** Driving adapter of the inventory service: HTTP calls into its use cases. */
package dev.switchboard.inventory.adapter.in.web;
