/**
 * The nftables target: {@link io.bulwark.rules.nftables.NftablesGenerator} renders countermeasures
 * as one {@code table inet bulwark} block.
 */
package io.bulwark.rules.nftables;
