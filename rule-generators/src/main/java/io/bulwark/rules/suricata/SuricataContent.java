package io.bulwark.rules.suricata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Renders values for Suricata rule options and list files. */
final class SuricataContent {

  private static final String HEX = "0123456789ABCDEF";

  private SuricataContent() {}

  /**
   * Quotes {@code bytes} as a {@code content} value: letters, digits and {@code /._~-=&?} stay as
   * they are, every other byte (including {@code "}, {@code ;}, {@code \}, {@code |}, space) is
   * written in a {@code |XX XX|} block, so no byte can end the option or the rule.
   */
  static String quote(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 2).append('"');
    boolean inHex = false;
    for (byte b : bytes) {
      int c = b & 0xFF;
      boolean safe =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "/._~-=&?".indexOf(c) >= 0;
      if (safe) {
        if (inHex) {
          out.append('|');
          inHex = false;
        }
        out.append((char) c);
      } else {
        out.append(inHex ? " " : "|").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
        inHex = true;
      }
    }
    if (inHex) {
      out.append('|');
    }
    return out.append('"').toString();
  }

  /** Quotes an ASCII string such as a validated domain. */
  static String quote(String ascii) {
    return quote(ascii.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Decodes a normalised URL path or query ({@link io.bulwark.rules.term.UrlTerm}) into the bytes
   * Suricata's normalised {@code http.uri} buffer holds: percent escapes become their byte.
   */
  static byte[] percentDecode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  /** One line of a {@code type string} dataset file: the value in base64. */
  static String datasetLine(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.US_ASCII));
  }
}
