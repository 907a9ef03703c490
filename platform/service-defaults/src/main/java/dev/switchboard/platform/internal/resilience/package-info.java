/**
 * How edges are built from configuration: breakers, bulkheads, retry budgets, load
 * shedding and the endpoint that shows them.
 */
package dev.switchboard.platform.internal.resilience;
