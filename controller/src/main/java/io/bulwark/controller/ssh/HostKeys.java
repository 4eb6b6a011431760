package io.bulwark.controller.ssh;

import io.bulwark.controller.domain.InvalidRequestException;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;

/** Parses pinned host keys ({@code "ALGO BASE64"}, as in known_hosts) and prints fingerprints. */
public final class HostKeys {
  private HostKeys() {}

  /**
   * @throws InvalidRequestException naming what is wrong with the key text
   */
  public static PublicKey parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("a host key is required: \"ALGO BASE64\" as in known_hosts");
    }
    try {
      PublicKeyEntry entry = PublicKeyEntry.parsePublicKeyEntry(text.trim());
      PublicKey key = entry.resolvePublicKey(null, null, null);
      if (key == null) {
        throw new InvalidRequestException("host key algorithm '" + entry.getKeyType() + "' is not supported");
      }
      return key;
    } catch (InvalidRequestException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidRequestException("host key is not \"ALGO BASE64\": " + e.getMessage());
    }
  }

  /** Whether {@code text} is a SHA-256 fingerprint to confirm on first contact, {@code SHA256:} and 43 base64 characters. */
  public static boolean isFingerprint(String text) {
    return text != null && text.trim().matches("SHA256:[A-Za-z0-9+/]{43}=?");
  }

  /** The key as {@code "ALGO BASE64"}, to pin it. */
  public static String text(PublicKey key) {
    return PublicKeyEntry.toString(key);
  }

  /** {@code SHA256:...}, as {@code ssh-keygen -l} prints it. */
  public static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
  }
}
