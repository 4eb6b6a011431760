/**
 * The Windows Firewall target: {@link io.bulwark.rules.windowsfirewall.WindowsFirewallGenerator}
 * renders countermeasures as an idempotent PowerShell script that converges the rules of the
 * firewall group {@code Bulwark}.
 */
package io.bulwark.rules.windowsfirewall;
