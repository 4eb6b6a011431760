package io.bulwark.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest that identifies a rendered rule set.
 *
 * <p>Controller, agent and reports all compare rule sets by this value, so it is defined once:
 * SHA-256 over the UTF-8 bytes of the text, written as 64 lowercase hexadecimal digits. The methods
 * are pure and thread-safe.
 */
public final class Digests {

  private Digests() {}

  /**
   * Returns the SHA-256 digest of {@code text} encoded as UTF-8, in lowercase hex.
   *
   * @param text the text to digest, never null
   * @return 64 lowercase hexadecimal characters
   */
  public static String sha256Hex(String text) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
