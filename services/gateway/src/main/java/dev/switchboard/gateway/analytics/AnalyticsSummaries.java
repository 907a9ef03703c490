package dev.switchboard.gateway.analytics;

import java.util.Map;

/**
 * Where the gateway reads the sales summary: analytics over REST (the default) or over
 * gRPC, as {@code switchboard.transports.analytics} says ({@code up --edge
 * gateway-analytics=grpc}). Either way the same map, so that the API answers the same
 * JSON: {@code ordersCreated}, {@code ordersCompleted}, {@code ordersCancelled},
 * {@code revenue}.
 */
interface AnalyticsSummaries {

	Map<String, Object> summary();

}
