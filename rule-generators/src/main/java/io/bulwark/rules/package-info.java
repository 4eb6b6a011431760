/**
 * STIX in, device rules out.
 *
 * <p>{@link io.bulwark.rules.stix} reads STIX 2.1 bundles and their patterns, {@link
 * io.bulwark.rules.term} turns patterns into normalised enforceable terms, {@link
 * io.bulwark.rules.spi} is the plugin interface every target implements, and one package per target
 * renders the terms: {@link io.bulwark.rules.nftables}, {@link io.bulwark.rules.iptables}, {@link
 * io.bulwark.rules.suricata}, {@link io.bulwark.rules.yara}, {@link io.bulwark.rules.rpz}, {@link
 * io.bulwark.rules.clamav} and {@link io.bulwark.rules.panedl}. Nothing in this module performs I/O
 * beyond reading the stream it is handed.
 */
package io.bulwark.rules;
