/** Order: places orders and runs their sagas, orchestrated or choreographed. */
package dev.switchboard.order;
