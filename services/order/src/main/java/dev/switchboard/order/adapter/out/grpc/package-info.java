/** Driven adapter of the order service: its ports implemented with gRPC. */
package dev.switchboard.order.adapter.out.grpc;
