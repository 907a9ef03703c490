/**
 * The public edge: REST API under /api/v1 and /api/v2, translated to gRPC and HTTP calls
 * to the services.
 */
package dev.switchboard.gateway;
