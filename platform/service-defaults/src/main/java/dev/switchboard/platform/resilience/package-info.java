/**
 * Protection for synchronous edges: deadlines, retry budgets, circuit breakers, bulkheads
 * and load shedding.
 */
package dev.switchboard.platform.resilience;
