package io.bulwark.rules.windowsfirewall;

import java.util.List;

/**
 * One rule of the {@code Bulwark} group, before it is spelled as PowerShell.
 *
 * @param name the rule's unique name, such as {@code bulwark-cm3-addr-in-1}
 * @param displayName what the firewall console shows
 * @param direction {@code Inbound} or {@code Outbound}
 * @param protocol {@code Any}, {@code TCP} or {@code UDP}
 * @param localPorts the local ports, empty for an address rule
 * @param remoteAddresses the remote addresses and prefixes, empty for a port rule
 */
record FirewallRule(
    String name,
    String displayName,
    String direction,
    String protocol,
    List<String> localPorts,
    List<String> remoteAddresses) {}
