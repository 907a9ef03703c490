/** Driving adapter of the inventory service: gRPC calls into its use cases. */
package dev.switchboard.inventory.adapter.in.grpc;
