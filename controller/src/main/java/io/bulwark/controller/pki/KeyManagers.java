package io.bulwark.controller.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManagerFactory;

/**
 * Key managers for a key and its certificate chain held in memory, for TLS servers and clients.
 *
 * <p>The JDK's key managers take their keys from a key store, so the key goes into one made for
 * the purpose. A PKCS12 store protects a key it is given with a password-based encryption of
 * 10,000 iterations by default, undone again at once when the key manager reads it: about a tenth
 * of a second each time. This store never leaves memory and its password is a constant, so that
 * protection guards nothing; it is a single iteration.
 */
public final class KeyManagers {
  private static final char[] PASSWORD = "in-memory".toCharArray();

  private KeyManagers() {}

  /** A factory whose key manager holds {@code key} with {@code chain} (its certificate first). */
  public static KeyManagerFactory of(PrivateKey key, X509Certificate... chain)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setEntry("key", new KeyStore.PrivateKeyEntry(key, chain),
        new KeyStore.PasswordProtection(PASSWORD, "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(new byte[16], 1)));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
    return keys;
  }
}
