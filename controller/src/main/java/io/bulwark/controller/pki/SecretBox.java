package io.bulwark.controller.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets at rest (device credentials) with AES-256-GCM under a key kept in the data
 * directory (mode 0600). Each sealed value carries its own random nonce and is bound to a
 * context string (the device name), so a sealed value cannot be moved to another device.
 * Thread-safe.
 */
public final class SecretBox {
  private static final int NONCE = 12;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** Loads {@code dir/secrets.key}, creating a new random key on first use. */
  public static SecretBox loadOrCreate(Path dir) {
    Path file = dir.resolve("secrets.key");
    try {
      if (Files.exists(file)) {
        byte[] k = Base64.getDecoder().decode(Files.readString(file).trim());
        if (k.length != 32) {
          throw new IllegalStateException(file + " does not hold a 256-bit key");
        }
        return new SecretBox(k);
      }
      byte[] k = new byte[32];
      RANDOM.nextBytes(k);
      PemFiles.writePrivate(file, Base64.getEncoder().encodeToString(k) + "\n");
      return new SecretBox(k);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A new box with a random key, for tests. */
  public static SecretBox random() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return new SecretBox(k);
  }

  /**
   * The HMAC-SHA256 of {@code data}, in hex, under a key derived from this box's key for {@code
   * purpose}: it shows that a value kept where others may write (a database row) was written by
   * the holder of this box.
   */
  public String tag(String purpose, String data) {
    try {
      Mac derive = Mac.getInstance("HmacSHA256");
      derive.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      byte[] subkey = derive.doFinal(("bulwark tag key\0" + purpose).getBytes(StandardCharsets.UTF_8));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(subkey, "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot compute a tag", e);
    }
  }

  /** Whether {@code tag} is {@link #tag}'s for {@code purpose} and {@code data}, compared in constant time. */
  public boolean tagMatches(String purpose, String data, String tag) {
    return tag != null && MessageDigest.isEqual(
        tag(purpose, data).getBytes(StandardCharsets.US_ASCII), tag.getBytes(StandardCharsets.US_ASCII));
  }

  public String seal(byte[] secret, String context) {
    try {
      byte[] nonce = new byte[NONCE];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(secret);
      byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
      System.arraycopy(sealed, 0, out, NONCE, sealed.length);
      return Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal a secret", e);
    }
  }

  /**
   * @throws IllegalStateException when the value was altered, sealed under another key or for
   *     another context
   */
  public byte[] open(String sealed, String context) {
    try {
      byte[] in = Base64.getDecoder().decode(sealed);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, NONCE));
      c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(in, NONCE, in.length - NONCE);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a sealed secret for " + context + " cannot be opened (altered or foreign)");
    }
  }
}
