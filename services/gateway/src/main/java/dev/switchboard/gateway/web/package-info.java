/**
 * What every route shares: problem+json errors, body limits, money and the downstream
 * clients.
 */
package dev.switchboard.gateway.web;
