package io.bulwark.controller.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * The controller's Ed25519 key for signing what it sends to agents. Agents pin the public key at
 * enrollment and refuse any bundle whose header it did not sign.
 *
 * <p>Stored as {@code bundle-signing.key} (PKCS#8 DER, mode 0600) and {@code bundle-signing.pub}
 * (SubjectPublicKeyInfo DER) in the controller's {@code pki} directory; several controllers on one
 * database must share these files. Thread-safe: each signature uses its own {@link Signature}.
 */
public final class BundleSigner {
  private static final String KEY_FILE = "bundle-signing.key";
  private static final String PUBLIC_FILE = "bundle-signing.pub";

  private final PrivateKey key;
  private final PublicKey publicKey;

  /** Bouncy Castle's form of the key: its Ed25519 signs many times faster than the JDK's. */
  private final org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters fastKey;

  private BundleSigner(PrivateKey key, PublicKey publicKey) {
    this.key = key;
    this.publicKey = publicKey;
    byte[] seed = ((java.security.interfaces.EdECPrivateKey) key).getBytes()
        .orElseThrow(() -> new IllegalStateException("the bundle signing key has no private bytes"));
    this.fastKey = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(seed, 0);
  }

  /** Loads the key from {@code dir}, creating it on first use. */
  public static BundleSigner loadOrCreate(Path dir) {
    Path keyFile = dir.resolve(KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_FILE);
    try {
      if (Files.exists(keyFile) && Files.exists(publicFile)) {
        KeyFactory factory = KeyFactory.getInstance("Ed25519");
        return new BundleSigner(
            factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile))),
            factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicFile))));
      }
      BundleSigner signer = create();
      writePrivate(keyFile, signer.key.getEncoded());
      Files.write(publicFile, signer.publicKey.getEncoded());
      return signer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load or create the bundle signing key in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the bundle signing key in " + dir + " is unusable", e);
    }
  }

  /** A new key that lives in memory only (tests). */
  public static BundleSigner create() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new BundleSigner(pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime has no Ed25519", e);
    }
  }

  /** The Ed25519 signature of {@code message} (deterministic, so the same as the JDK's). */
  public byte[] sign(byte[] message) {
    var signer = new org.bouncycastle.crypto.signers.Ed25519Signer();
    signer.init(true, fastKey);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** The public key as DER SubjectPublicKeyInfo, as sent to agents at enrollment. */
  public byte[] publicKeyDer() {
    return publicKey.getEncoded();
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  private static void writePrivate(Path file, byte[] der) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(temp, der);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
