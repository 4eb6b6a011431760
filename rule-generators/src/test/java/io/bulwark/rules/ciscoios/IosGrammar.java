package io.bulwark.rules.ciscoios;

import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.TermParse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict checker of the IOS commands Bulwark emits, written from Cisco's documented syntax of
 * {@code object-group network}, {@code ip access-list extended}, {@code ipv6 access-list}, {@code
 * remark} and {@code resequence}. It knows the configuration modes and accepts only the statement
 * forms listed here, each with every value checked (addresses in canonical form, contiguous masks,
 * no host bits, ports 1 to 65535, sequence numbers 1 to 2147483647, names of the form {@code
 * BULWARK-CMn-V4}). Anything else, including blank lines, tabs, control or non-ASCII characters and
 * a missing final newline, is rejected with the line number.
 */
final class IosGrammar {

  private static final String ID = "[1-9][0-9]{0,18}";
  private static final String SEQ = "[1-9][0-9]{0,9}";
  private static final String V4 =
      "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
          + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final String V6 = "[0-9a-f:]{2,39}";
  private static final String GROUP4 = "BULWARK-CM" + ID + "-V4";
  private static final String GROUP6 = "BULWARK-CM" + ID + "-V6";
  private static final String PORT = "[1-9][0-9]{0,4}";

  private static final Pattern GLOBAL =
      Pattern.compile(
          "(?:no )?object-group network (?:"
              + GROUP4
              + "|"
              + GROUP6
              + ")"
              + "|ip access-list extended BULWARK-IN"
              + "|ipv6 access-list BULWARK-IN6"
              + "|ip access-list resequence BULWARK-IN "
              + SEQ
              + " "
              + SEQ
              + "|ipv6 access-list resequence BULWARK-IN6 "
              + SEQ
              + " "
              + SEQ);
  private static final Pattern GROUP_V4 =
      Pattern.compile(" (?:no )?(?:host (" + V4 + ")|(" + V4 + ") (" + V4 + "))");
  private static final Pattern GROUP_V6 =
      Pattern.compile(" (?:no )?(?:host (" + V6 + ")|(" + V6 + ")/([0-9]{1,3}))");
  private static final Pattern REMARK =
      Pattern.compile(" (?:no )?remark bulwark cm" + ID + " (?:block|alert)");

  private enum Mode {
    GLOBAL,
    GROUP_V4,
    GROUP_V6,
    ACL_V4,
    ACL_V6
  }

  private IosGrammar() {}

  /**
   * Checks {@code text} and returns its number of statements (lines).
   *
   * @throws AssertionError naming the first line that is not an accepted statement
   */
  static int check(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new AssertionError("text does not end with a newline");
    }
    Mode mode = Mode.GLOBAL;
    String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
    int count = lines.length == 0 ? 0 : lines.length - 1;
    for (int i = 0; i < count; i++) {
      String line = lines[i];
      try {
        mode = next(mode, line);
      } catch (IllegalArgumentException e) {
        throw new AssertionError("line " + (i + 1) + " '" + line + "': " + e.getMessage());
      }
    }
    if (mode != Mode.GLOBAL) {
      throw new AssertionError("text ends inside " + mode);
    }
    return count;
  }

  private static Mode next(Mode mode, String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw new IllegalArgumentException("character " + (int) c + " is not printable ASCII");
      }
    }
    if (line.equals("exit")) {
      require(mode != Mode.GLOBAL, "exit in global mode");
      return Mode.GLOBAL;
    }
    if (mode == Mode.GLOBAL) {
      require(GLOBAL.matcher(line).matches(), "not a global statement");
      if (line.startsWith("object-group")) {
        return line.endsWith("-V4") ? Mode.GROUP_V4 : Mode.GROUP_V6;
      }
      if (line.equals("ip access-list extended BULWARK-IN")) {
        return Mode.ACL_V4;
      }
      return line.equals("ipv6 access-list BULWARK-IN6") ? Mode.ACL_V6 : Mode.GLOBAL;
    }
    switch (mode) {
      case GROUP_V4 -> groupV4(line);
      case GROUP_V6 -> groupV6(line);
      case ACL_V4 -> aclEntry(line, "", "ip", GROUP4);
      default -> aclEntry(line, "sequence ", "ipv6", GROUP6);
    }
    return mode;
  }

  private static void groupV4(String line) {
    Matcher m = GROUP_V4.matcher(line);
    require(m.matches(), "not an IPv4 object-group entry");
    if (m.group(2) != null) {
      long mask = bits(m.group(3));
      long hostBits = ~mask & 0xFFFF_FFFFL;
      require((hostBits & (hostBits + 1)) == 0, "mask is not contiguous");
      require(hostBits != 0, "a /32 must be written as host");
      require((bits(m.group(2)) & ~mask & 0xFFFF_FFFFL) == 0, "host bits set beyond the mask");
    }
  }

  private static void groupV6(String line) {
    Matcher m = GROUP_V6.matcher(line);
    require(m.matches(), "not an IPv6 object-group entry");
    String address = m.group(1) != null ? m.group(1) : m.group(2);
    require(address.indexOf("::") == address.lastIndexOf("::"), "more than one ::");
    for (String group : address.split(":", -1)) {
      require(group.length() <= 4, "group longer than four digits");
    }
    String literal = m.group(1) != null ? address : address + "/" + m.group(3);
    TermParse<IpPrefix> parsed = IpPrefix.parse(literal);
    require(parsed instanceof TermParse.Valid<IpPrefix>, "not an IPv6 prefix: " + parsed);
    IpPrefix prefix = ((TermParse.Valid<IpPrefix>) parsed).term();
    require(prefix.family() == IpPrefix.Family.V6, "not IPv6");
    require(m.group(1) == null || prefix.isSingleAddress(), "host with a length");
    require(m.group(1) != null || !prefix.isSingleAddress(), "/128 must be written as host");
    require(IosSyntax.address(prefix).equals(address), "not in canonical hexadecimal form");
  }

  private static void aclEntry(String line, String sequence, String ip, String group) {
    if (REMARK.matcher(line).matches()) {
      return;
    }
    String body = "(?:deny (?:%1$s)|permit (?:%1$s) log|permit %2$s any any)";
    String match =
        String.format(
            body,
            ip
                + " object-group "
                + group
                + " any|"
                + ip
                + " any object-group "
                + group
                + "|(?:tcp|udp) any any eq "
                + PORT,
            ip);
    Pattern entry =
        Pattern.compile(" (?:no " + sequence + SEQ + "|" + sequence + SEQ + " " + match + ")");
    require(entry.matcher(line).matches(), "not an access-list entry");
    Matcher port = Pattern.compile(" eq (" + PORT + ")").matcher(line);
    if (port.find()) {
      int value = Integer.parseInt(port.group(1));
      require(value >= 1 && value <= 65535, "port out of range");
    }
    Matcher number = Pattern.compile("^ (?:no )?" + sequence + "(" + SEQ + ")").matcher(line);
    require(number.find() && Long.parseLong(number.group(1)) <= 2147483647L, "sequence too high");
  }

  private static long bits(String dotted) {
    long value = 0;
    for (String octet : dotted.split("\\.")) {
      value = value << 8 | Integer.parseInt(octet);
    }
    return value;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
