/** What saga participants need of the platform: answering commands on the reply topic. */
package dev.switchboard.platform.saga;
