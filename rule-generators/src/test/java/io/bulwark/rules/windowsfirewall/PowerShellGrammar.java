package io.bulwark.rules.windowsfirewall;

import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.TermParse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict checker of the script Bulwark emits, written from the documented parameters of
 * Microsoft's NetSecurity cmdlets ({@code Get-}, {@code New-}, {@code Set-} and {@code
 * Remove-NetFirewallRule}) and PowerShell's single-quoted strings. The script must be exactly the
 * fixed preamble, the list of wanted names, the removal pipeline, and one five-line {@code
 * if}/{@code else} block per wanted rule, in the same order, whose {@code New} and {@code Set} give
 * the rule identical settings. Every quoted value is checked: names of the form {@code
 * bulwark-cmN-KIND-WAY-K}, canonical addresses and prefixes, ports 1 to 65535. Anything else is
 * rejected with its line number.
 */
final class PowerShellGrammar {

  /** A rule as the script defines it. */
  record Rule(String name, String settings) {}

  /** What the script does: keep only {@code wanted} in the group, and define {@code rules}. */
  record Script(List<String> wanted, List<Rule> rules, int statements) {}

  private static final String NAME =
      "bulwark-cm([1-9][0-9]{0,18})-(addr|tcp|udp)-(in|out)-([1-9][0-9]*)";
  private static final String LIST = "'[^']*'(?:, '[^']*')*";
  private static final String SETTINGS =
      "( -Direction (Inbound|Outbound) -Action Block -Protocol (Any|TCP|UDP)"
          + "(?: -LocalPort ("
          + LIST
          + "))?(?: -RemoteAddress ("
          + LIST
          + "))?"
          + " -Profile Any -Enabled True)";
  private static final Pattern WANTED = Pattern.compile("  '" + NAME + "'");
  private static final Pattern IF =
      Pattern.compile(
          "if \\(Get-NetFirewallRule -Name '" + NAME + "' -ErrorAction SilentlyContinue\\) \\{");
  private static final Pattern SET =
      Pattern.compile("  Set-NetFirewallRule -Name '(.*?)' -NewDisplayName '(.*?)'" + SETTINGS);
  private static final Pattern NEW =
      Pattern.compile(
          "  New-NetFirewallRule -Name '(.*?)' -DisplayName '(.*?)' -Group 'Bulwark'"
              + SETTINGS
              + " \\| Out-Null");
  private static final List<String> PREAMBLE =
      List.of(
          "# Bulwark rules for Windows Defender Firewall; running it again changes nothing.",
          "$ErrorActionPreference = 'Stop'",
          "$wanted = @(");
  private static final String REMOVE =
      "Get-NetFirewallRule -Group 'Bulwark' -ErrorAction SilentlyContinue | Where-Object { $wanted"
          + " -notcontains $_.Name } | Remove-NetFirewallRule";

  private PowerShellGrammar() {}

  /**
   * Checks {@code text}.
   *
   * @throws AssertionError naming the first line that breaks the grammar
   */
  static Script check(String text) {
    if (!text.endsWith("\n")) {
      throw new AssertionError("script does not end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    int at = 0;
    try {
      for (String line : lines) {
        for (char c : line.toCharArray()) {
          require(c >= 0x20 && c <= 0x7E, "character " + (int) c + " is not printable ASCII");
        }
        at++;
      }
      at = 0;
      for (String expected : PREAMBLE) {
        require(lines[at].equals(expected), "expected " + expected);
        at++;
      }
      List<String> wanted = new ArrayList<>();
      while (WANTED.matcher(lines[at]).matches()) {
        wanted.add(lines[at].substring(3, lines[at].length() - 1));
        at++;
      }
      require(new HashSet<>(wanted).size() == wanted.size(), "a name is wanted twice");
      require(lines[at].equals(")"), "expected the end of the wanted list");
      require(lines[++at].equals(REMOVE), "expected the removal of unwanted rules");
      at++;
      List<Rule> rules = new ArrayList<>();
      for (String name : wanted) {
        rules.add(rule(lines, at, name));
        at += 5;
      }
      require(at == lines.length, "text after the last rule");
      return new Script(wanted, rules, lines.length);
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      String line = at < lines.length ? lines[at] : "<end>";
      throw new AssertionError("line " + (at + 1) + " '" + line + "': " + e.getMessage());
    }
  }

  private static Rule rule(String[] lines, int at, String name) {
    Matcher condition = IF.matcher(lines[at]);
    require(condition.matches() && lines[at].contains("'" + name + "'"), "expected if for " + name);
    Matcher set = SET.matcher(lines[at + 1]);
    require(set.matches() && set.group(1).equals(name), "expected Set-NetFirewallRule " + name);
    require(lines[at + 2].equals("} else {"), "expected else");
    Matcher create = NEW.matcher(lines[at + 3]);
    require(create.matches() && create.group(1).equals(name), "expected New-NetFirewallRule");
    require(lines[at + 4].equals("}"), "expected the end of the if");
    String display = "Bulwark " + name.substring("bulwark-".length()).replace('-', ' ');
    require(set.group(2).equals(display) && create.group(2).equals(display), "display name");
    require(set.group(3).equals(create.group(3)), "New and Set settings differ");
    Matcher parts = Pattern.compile(NAME).matcher(name);
    require(parts.matches(), "name");
    String kind = parts.group(2);
    require(set.group(4).equals(parts.group(3).equals("in") ? "Inbound" : "Outbound"), "way");
    require(set.group(5).equals(kind.equals("addr") ? "Any" : kind.toUpperCase()), "protocol");
    require(kind.equals("addr") == (set.group(7) != null), "addresses only on addr rules");
    require(kind.equals("addr") != (set.group(6) != null), "ports only on port rules");
    if (set.group(6) != null) {
      for (String port : values(set.group(6))) {
        require(port.matches("[1-9][0-9]{0,4}") && Integer.parseInt(port) <= 65535, "port");
      }
    } else {
      for (String address : values(set.group(7))) {
        TermParse<IpPrefix> parsed = IpPrefix.parse(address);
        require(
            parsed instanceof TermParse.Valid<IpPrefix> valid
                && WindowsFirewallGenerator.spell(valid.term()).equals(address)
                && (valid.term().family() == IpPrefix.Family.V4 || address.indexOf('.') < 0),
            "not a canonical address: " + address);
      }
    }
    return new Rule(name, set.group(3));
  }

  private static List<String> values(String list) {
    List<String> values = new ArrayList<>();
    for (String quoted : list.split(", ")) {
      values.add(quoted.substring(1, quoted.length() - 1));
    }
    return values;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
