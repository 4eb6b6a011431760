/**
 * The Cisco IOS target: {@link io.bulwark.rules.ciscoios.CiscoIosGenerator} renders countermeasures
 * as {@code object-group network} definitions plus the extended access lists {@code BULWARK-IN} and
 * {@code BULWARK-IN6}, and {@link io.bulwark.rules.ciscoios.CiscoIosDelta} the commands that take a
 * device from one generation to the next.
 */
package io.bulwark.rules.ciscoios;
