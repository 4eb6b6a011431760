/**
 * The DNS Response Policy Zone target: {@link io.bulwark.rules.rpz.RpzGenerator} maps domains and
 * their subdomains to NXDOMAIN, a sinkhole (the zone's, or a sinkhole countermeasure's own host name
 * or address) or a logged pass-through.
 */
package io.bulwark.rules.rpz;
