/**
 * The platform's access policy: which service may call which gRPC method and move
 * messages through which topic or queue.
 */
package dev.switchboard.contracts.access;
