/** Driving adapter of the payment service: gRPC calls into its use cases. */
package dev.switchboard.payment.adapter.in.grpc;
