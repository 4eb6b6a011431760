/**
 * STIX in, device rules out.
 *
 * <p>{@link io.bulwark.rules.stix} reads STIX 2.1 bundles and their patterns, {@link
 * io.bulwark.rules.term} turns patterns into normalised enforceable terms, {@link
 * io.bulwark.rules.spi} is the plugin interface every target implements, and one package per target
 * (such as {@link io.bulwark.rules.nftables}) renders the terms. Nothing in this module performs
 * I/O beyond reading the stream it is handed.
 */
package io.bulwark.rules;
