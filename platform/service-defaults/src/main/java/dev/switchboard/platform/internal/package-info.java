/**
 * The platform's implementation: auto-configuration and what it wires. Services use only
 * the packages beside this one; nothing here is a stable API (checked by each service's
 * HexagonRules).
 */
package dev.switchboard.platform.internal;
