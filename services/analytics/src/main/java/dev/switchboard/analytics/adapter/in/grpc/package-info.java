/** Driving adapter of the analytics service: gRPC calls into its use cases. */
package dev.switchboard.analytics.adapter.in.grpc;
