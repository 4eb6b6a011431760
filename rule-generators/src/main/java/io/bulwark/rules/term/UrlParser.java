package io.bulwark.rules.term;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Parses and normalises URLs for {@link UrlTerm}; see there for the rules. */
final class UrlParser {

  private static final String HEX = "0123456789ABCDEF";

  private UrlParser() {}

  static TermParse<UrlTerm> parse(String text) {
    try {
      return new TermParse.Valid<>(parseOrThrow(text));
    } catch (Rejection e) {
      return new TermParse.Invalid<>(e.getMessage());
    }
  }

  private static UrlTerm parseOrThrow(String text) {
    if (text == null || text.isEmpty()) {
      throw new Rejection("empty value is not a URL");
    }
    if (text.length() > UrlTerm.MAX_LENGTH) {
      throw new Rejection(
          "URL is longer than " + UrlTerm.MAX_LENGTH + " characters (" + text.length() + ")");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7F || Character.isISOControl(c)) {
        throw new Rejection("control character at " + i + " of a URL");
      }
    }
    int colon = text.indexOf("://");
    if (colon < 0) {
      throw new Rejection("a URL must start with http:// or https://");
    }
    String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Rejection("only http and https URLs are enforced");
    }
    String rest = text.substring(colon + 3);
    int fragment = rest.indexOf('#');
    if (fragment >= 0) {
      rest = rest.substring(0, fragment);
    }
    int end = firstOf(rest, "/?");
    String authority = end < 0 ? rest : rest.substring(0, end);
    String pathAndQuery = end < 0 ? "" : rest.substring(end);
    if (authority.indexOf('@') >= 0) {
      throw new Rejection("URLs with user information are not enforced");
    }
    int[] port = {0};
    Term host = host(authority, scheme, port);
    int question = pathAndQuery.indexOf('?');
    String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    String query = question < 0 ? null : normalise(pathAndQuery.substring(question + 1), "query");
    path = path.isEmpty() ? "/" : normalise(path, "path");
    return new UrlTerm(scheme, host, port[0], path, query);
  }

  private static Term host(String authority, String scheme, int[] port) {
    String hostText = authority;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new Rejection("unclosed '[' in the host of a URL");
      }
      hostText = authority.substring(1, close);
      String after = authority.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new Rejection("unexpected text after the IPv6 host of a URL");
        }
        portText = after.substring(1);
      }
      if (hostText.indexOf(':') < 0) {
        throw new Rejection("brackets in a URL host must hold an IPv6 address");
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        hostText = authority.substring(0, colon);
        portText = authority.substring(colon + 1);
      }
    }
    if (portText != null) {
      port[0] = port(portText, scheme);
    }
    if (hostText.isEmpty()) {
      throw new Rejection("a URL needs a host");
    }
    boolean looksNumeric = hostText.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    if (looksNumeric || authority.startsWith("[")) {
      TermParse<IpPrefix> ip = IpPrefix.parse(hostText);
      if (ip instanceof TermParse.Invalid<IpPrefix> invalid) {
        throw new Rejection("URL host: " + invalid.reason());
      }
      return ((TermParse.Valid<IpPrefix>) ip).term();
    }
    TermParse<DomainTerm> domain = DomainTerm.parse(hostText);
    if (domain instanceof TermParse.Invalid<DomainTerm> invalid) {
      throw new Rejection("URL host: " + invalid.reason());
    }
    return ((TermParse.Valid<DomainTerm>) domain).term();
  }

  private static int port(String text, String scheme) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new Rejection("the port of a URL must be a number from 1 to 65535");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new Rejection("the port of a URL must be a number from 1 to 65535");
    }
    return port == UrlTerm.defaultPort(scheme) ? 0 : port;
  }

  /** Normalises percent-encoding of a path or query; see {@link UrlTerm}. */
  private static String normalise(String text, String part) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw new Rejection("incomplete percent escape in the " + part + " of a URL");
        }
        int value = hexValue(text.charAt(i + 1)) * 16 + hexValue(text.charAt(i + 2));
        if (value < 0) {
          throw new Rejection("malformed percent escape in the " + part + " of a URL");
        }
        if (isUnreserved(value)) {
          out.append((char) value);
        } else {
          appendEscape(out, value);
        }
        i += 3;
        continue;
      }
      if (c < 0x80 && isAllowed(c)) {
        out.append((char) c);
      } else {
        for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
          appendEscape(out, b & 0xFF);
        }
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }

  /** True when {@code text} is already in normalised form. */
  static boolean isNormalised(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          return false;
        }
        int value = upperHexValue(text.charAt(i + 1)) * 16 + upperHexValue(text.charAt(i + 2));
        if (value < 0 || isUnreserved(value)) {
          return false;
        }
        i += 2;
      } else if (c >= 0x80 || !isAllowed(c)) {
        return false;
      }
    }
    return true;
  }

  private static void appendEscape(StringBuilder out, int value) {
    out.append('%').append(HEX.charAt(value >> 4)).append(HEX.charAt(value & 0xF));
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static boolean isAllowed(int c) {
    return isUnreserved(c) || "!$&'()*+,;=:@/?".indexOf(c) >= 0;
  }

  private static int hexValue(char c) {
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return upperHexValue(c);
  }

  private static int upperHexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -256;
  }

  private static int firstOf(String text, String characters) {
    for (int i = 0; i < text.length(); i++) {
      if (characters.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Raised while parsing; caught in {@link #parse}. */
  private static final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejection(String message) {
      super(message, null, false, false);
    }
  }
}
