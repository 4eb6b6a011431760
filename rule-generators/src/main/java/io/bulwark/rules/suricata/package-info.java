/**
 * The Suricata target: {@link io.bulwark.rules.suricata.SuricataGenerator} writes rules with stable
 * sids for addresses, ports, domains, http URLs and file hashes, and the list files they load.
 */
package io.bulwark.rules.suricata;
