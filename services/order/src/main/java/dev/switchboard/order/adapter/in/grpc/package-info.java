/**
 * Driving adapter of the order service: its API ({@code order/v1/order.proto}) into its
 * use cases, over gRPC and, for the unary calls, over HTTP with the same messages as JSON
 * ({@link dev.switchboard.order.adapter.in.grpc.OrderHttpBinding}).
 */
package dev.switchboard.order.adapter.in.grpc;
