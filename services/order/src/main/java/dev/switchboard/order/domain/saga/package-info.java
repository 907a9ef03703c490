/**
 * The order-fulfilment saga as a state machine: reserve stock, charge the payment,
 * allocate the stock, ship; on a failure or a timeout, undo every step that may have had
 * an effect, in reverse order. Plain Java: the machine decides, and the application layer
 * carries its decisions out (commands in orchestration, nothing but records in
 * choreography).
 */
package dev.switchboard.order.domain.saga;
