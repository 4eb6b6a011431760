/**
 * The Junos target: {@link io.bulwark.rules.junos.JunosGenerator} renders countermeasures as {@code
 * set} commands for prefix lists and the firewall filters {@code bulwark-in} of families {@code
 * inet} and {@code inet6}, and {@link io.bulwark.rules.junos.JunosDelta} the {@code delete}, {@code
 * set} and {@code insert} commands from one generation to the next.
 */
package io.bulwark.rules.junos;
