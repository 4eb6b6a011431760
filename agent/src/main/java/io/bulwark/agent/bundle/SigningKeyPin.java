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

/**
 * The controller's Ed25519 bundle signing key, pinned at enrollment in {@code
 * controller-signing.pub} (DER SubjectPublicKeyInfo). Only bundles signed with it are applied.
 */
public final class SigningKeyPin {

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
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new AgentException(what + " is not an Ed25519 public key: " + e.getMessage(), e);
    }
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
