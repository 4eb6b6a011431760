package io.bulwark.agent.bundle;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.host.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The controller's Ed25519 bundle signing key, pinned at enrollment in {@code
 * controller-signing.pub} (DER SubjectPublicKeyInfo). Only bundles signed with it are applied.
 */
public final class SigningKeyPin {

  /** How every X.509 SubjectPublicKeyInfo of an Ed25519 key starts (RFC 8410); the key follows. */
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private SigningKeyPin() {}

  /**
   * Parses a DER SubjectPublicKeyInfo that must hold an Ed25519 key.
   *
   * @throws AgentException naming {@code what} when it is empty, malformed or another kind of key
   */
  public static PublicKey parse(byte[] der, String what) {
    if (der.length == 0) {
      throw new AgentException(what + " is missing");
    }
    try {
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      point(key);
      return key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new AgentException(what + " is not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /**
   * {@code key} decoded for Bouncy Castle's Ed25519 (RFC 8032), which verifies about eight times
   * faster here than the JDK's. Stricter than the JDK on the key: one of small order or not in
   * canonical form is refused.
   *
   * @throws IllegalArgumentException when it is not an Ed25519 key or not a valid curve point
   */
  static Ed25519.PublicPoint point(PublicKey key) {
    byte[] spki = key.getEncoded();
    int prefix = ED25519_SPKI_PREFIX.length;
    if (spki == null
        || spki.length != prefix + Ed25519.PUBLIC_KEY_SIZE
        || !Arrays.equals(spki, 0, prefix, ED25519_SPKI_PREFIX, 0, prefix)) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(spki, prefix);
    if (point == null) {
      throw new IllegalArgumentException("not a valid Ed25519 curve point");
    }
    return point;
  }

  /** Stores the key durably (fsync and atomic rename). */
  public static void write(Path file, PublicKey key) throws IOException {
    AtomicFiles.write(file, key.getEncoded(), AtomicFiles.WORLD_READABLE);
  }

  /**
   * Loads the pinned key.
   *
   * @throws AgentException when the file is missing (enrolled before bundles were signed: enroll
   *     again) or unusable
   */
  public static PublicKey load(Path file) {
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new AgentException(
          "no pinned bundle signing key (" + file + "); enroll this agent again with a new token",
          e);
    } catch (IOException e) {
      throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
