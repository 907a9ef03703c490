/**
 * gRPC server and client defaults: virtual threads, message size limits, deadlines and
 * status mapping.
 */
package dev.switchboard.platform.internal.grpc;
