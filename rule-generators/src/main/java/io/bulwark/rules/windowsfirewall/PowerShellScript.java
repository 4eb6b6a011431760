package io.bulwark.rules.windowsfirewall;

import java.util.List;

/**
 * Writes the script. Every value is a single-quoted PowerShell string with quotes doubled, the only
 * escape single-quoted strings have. PowerShell also ends such a string at the typographic quotes
 * U+2018 to U+201B, so those are doubled too. The values come from normalised terms and fixed
 * names, so the doubling is a second line of defence, not the first.
 */
final class PowerShellScript {

  static final String GROUP = "Bulwark";

  private PowerShellScript() {}

  static String write(List<FirewallRule> rules) {
    StringBuilder out = new StringBuilder(1024);
    out.append(
        "# Bulwark rules for Windows Defender Firewall; running it again changes nothing.\n");
    out.append("$ErrorActionPreference = 'Stop'\n");
    out.append("$wanted = @(\n");
    for (FirewallRule rule : rules) {
      out.append("  ").append(quote(rule.name())).append('\n');
    }
    out.append(")\n");
    out.append("Get-NetFirewallRule -Group ").append(quote(GROUP));
    out.append(" -ErrorAction SilentlyContinue | Where-Object { $wanted -notcontains $_.Name }");
    out.append(" | Remove-NetFirewallRule\n");
    for (FirewallRule rule : rules) {
      String name = quote(rule.name());
      String settings = settings(rule);
      out.append("if (Get-NetFirewallRule -Name ").append(name);
      out.append(" -ErrorAction SilentlyContinue) {\n");
      out.append("  Set-NetFirewallRule -Name ").append(name);
      out.append(" -NewDisplayName ")
          .append(quote(rule.displayName()))
          .append(settings)
          .append('\n');
      out.append("} else {\n");
      out.append("  New-NetFirewallRule -Name ").append(name);
      out.append(" -DisplayName ").append(quote(rule.displayName()));
      out.append(" -Group ").append(quote(GROUP)).append(settings).append(" | Out-Null\n");
      out.append("}\n");
    }
    return out.toString();
  }

  /** The parameters New and Set share, so an existing rule is brought to exactly this state. */
  private static String settings(FirewallRule rule) {
    StringBuilder out = new StringBuilder(128);
    out.append(" -Direction ").append(rule.direction());
    out.append(" -Action Block -Protocol ").append(rule.protocol());
    if (!rule.localPorts().isEmpty()) {
      out.append(" -LocalPort ").append(list(rule.localPorts()));
    }
    if (!rule.remoteAddresses().isEmpty()) {
      out.append(" -RemoteAddress ").append(list(rule.remoteAddresses()));
    }
    out.append(" -Profile Any -Enabled True");
    return out.toString();
  }

  private static String list(List<String> values) {
    StringBuilder out = new StringBuilder(values.size() * 18);
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
    }
    return out.toString();
  }

  /** Returns {@code value} as a single-quoted PowerShell string. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\'' || (c >= '\u2018' && c <= '\u201B')) {
        out.append(c);
      }
      out.append(c);
    }
    return out.append('\'').toString();
  }
}
