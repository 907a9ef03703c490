/** Driving adapter of the order service: gRPC calls into its use cases. */
package dev.switchboard.order.adapter.in.grpc;
