/**
 * The iptables target: {@link io.bulwark.rules.iptables.IptablesGenerator} writes ipset sets and
 * iptables/ip6tables chains that match them.
 */
package io.bulwark.rules.iptables;
