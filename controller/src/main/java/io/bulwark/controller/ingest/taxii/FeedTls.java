package io.bulwark.controller.ingest.taxii;

import io.bulwark.controller.pki.KeyManagers;
import io.bulwark.controller.pki.SecretBox;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The TLS settings of a feed beyond the JDK's defaults: a client certificate for mutual TLS and
 * the CA certificates a private TAXII server's certificate must chain to. The client key is kept
 * sealed by the controller's {@link SecretBox} (bound to the feed's name) and opened only to build
 * the {@link SSLContext} of a poll; it never appears in messages. Host name and certificate checks
 * stay the JDK's: a server CA replaces the trust store for this feed, it never widens or skips it.
 *
 * @param clientCertPem the client certificate chain, PEM, leaf first; empty for none
 * @param sealedClientKey the client's private key (PKCS#8) as sealed by {@link SecretBox}; empty for none
 * @param serverCaPem the CA certificates, PEM; empty for the JDK's trust store
 */
public record FeedTls(String clientCertPem, String sealedClientKey, String serverCaPem) {
  /** The JDK's defaults: no client certificate, the JDK's trust store. */
  public static final FeedTls DEFAULT = new FeedTls("", "", "");

  private static final int MAX_PEM = 256 * 1024;

  public FeedTls {
    clientCertPem = clientCertPem == null ? "" : clientCertPem;
    sealedClientKey = sealedClientKey == null ? "" : sealedClientKey;
    serverCaPem = serverCaPem == null ? "" : serverCaPem;
    if (clientCertPem.isEmpty() != sealedClientKey.isEmpty()) {
      throw new IllegalArgumentException("a client certificate and its key go together");
    }
  }

  /** Whether the feed presents a client certificate. */
  public boolean hasClientCertificate() {
    return !clientCertPem.isEmpty();
  }

  /**
   * Checks what an administrator gave and seals the key for feed {@code feed}.
   *
   * @param certPem the client certificate chain, PEM, leaf first; empty for none
   * @param keyPem the client's private key, PEM: PKCS#8 or traditional RSA or EC, unencrypted;
   *     empty for none. The caller clears it after the call.
   * @param caPem the server's CA certificates, PEM; empty for the JDK's trust store
   * @throws IllegalArgumentException naming what is wrong, never quoting the key
   */
  public static FeedTls seal(String feed, String certPem, byte[] keyPem, String caPem, SecretBox secrets) {
    if (certPem.isEmpty() != (keyPem.length == 0)) {
      throw new IllegalArgumentException("--client-cert and --client-key go together");
    }
    if (!caPem.isEmpty()) {
      certificates("the server CA file", caPem);
    }
    if (certPem.isEmpty()) {
      return new FeedTls("", "", caPem);
    }
    List<X509Certificate> chain = certificates("the client certificate file", certPem);
    PrivateKey key = readKey(keyPem);
    checkPair(key, chain.get(0));
    byte[] pkcs8 = key.getEncoded();
    try {
      return new FeedTls(certPem, secrets.seal(pkcs8, context(feed)), caPem);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** One line for the audit log and the CLI: subjects, never key material. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (hasClientCertificate()) {
      X509Certificate leaf = certificates("the client certificate", clientCertPem).get(0);
      parts.add("client certificate " + leaf.getSubjectX500Principal().getName() + " (until " + leaf.getNotAfter().toInstant()
          + ")");
    }
    parts.add(serverCaPem.isEmpty() ? "server checked against the JDK trust store"
        : "server checked against " + certificates("the server CA", serverCaPem).size() + " private CA certificate(s)");
    return String.join(", ", parts);
  }

  /**
   * The TLS context of a poll of feed {@code feed}.
   *
   * @throws TaxiiException when the sealed key cannot be opened or the material is unusable
   */
  public SSLContext context(String feed, SecretBox secrets) {
    try {
      KeyManagerFactory kmf = null;
      if (hasClientCertificate()) {
        List<X509Certificate> chain = certificates("the client certificate", clientCertPem);
        byte[] pkcs8 = secrets.open(sealedClientKey, context(feed));
        PrivateKey key;
        try {
          key = KeyFactory.getInstance(chain.get(0).getPublicKey().getAlgorithm())
              .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } finally {
          Arrays.fill(pkcs8, (byte) 0);
        }
        kmf = KeyManagers.of(key, chain.toArray(X509Certificate[]::new));
      }
      TrustManagerFactory tmf = null;
      if (!serverCaPem.isEmpty()) {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        List<X509Certificate> cas = certificates("the server CA", serverCaPem);
        for (int i = 0; i < cas.size(); i++) {
          trust.setCertificateEntry("ca" + i, cas.get(i));
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return tls;
    } catch (IllegalStateException e) {
      throw new TaxiiException("feed " + feed + ": its client key cannot be opened (sealed under another key?)", false);
    } catch (GeneralSecurityException | IOException e) {
      throw new TaxiiException("feed " + feed + ": its TLS settings are unusable: " + e.getClass().getSimpleName(), false);
    }
  }

  private static String context(String feed) {
    return "feed:" + feed + "/client-key";
  }

  static List<X509Certificate> certificates(String what, String pem) {
    if (pem.length() > MAX_PEM) {
      throw new IllegalArgumentException(what + " is larger than " + MAX_PEM + " bytes");
    }
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      var converter = new JcaX509CertificateConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (!(o instanceof X509CertificateHolder holder)) {
          throw new IllegalArgumentException(what + " holds something other than certificates");
        }
        out.add(converter.getCertificate(holder));
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(what + " is not PEM certificates: " + e.getClass().getSimpleName());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(what + " holds no PEM certificate");
    }
    return out;
  }

  private static PrivateKey readKey(byte[] keyPem) {
    if (keyPem.length > MAX_PEM) {
      throw new IllegalArgumentException("the client key file is larger than " + MAX_PEM + " bytes");
    }
    // Messages name the kind of problem only: a parser's message could quote the key.
    try (PEMParser parser = new PEMParser(new StringReader(new String(keyPem, StandardCharsets.US_ASCII)))) {
      var converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
          throw new IllegalArgumentException("the client key is encrypted: give it without a passphrase");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException a && a.getMessage() != null && a.getMessage().startsWith("the client key")) {
        throw a;
      }
      throw new IllegalArgumentException("the client key file is not a PEM private key (PKCS#8, RSA or EC)");
    }
    throw new IllegalArgumentException("the client key file holds no PEM private key (PKCS#8, RSA or EC)");
  }

  private static void checkPair(PrivateKey key, X509Certificate leaf) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new IllegalArgumentException("the client key is " + key.getAlgorithm() + ": use RSA, EC or Ed25519");
    };
    byte[] probe = "bulwark client key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(leaf.getPublicKey());
      v.update(probe);
      if (!v.verify(signature)) {
        throw new IllegalArgumentException("the client key does not belong to the client certificate "
            + leaf.getSubjectX500Principal().getName());
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the client key does not belong to the client certificate "
          + leaf.getSubjectX500Principal().getName());
    }
  }
}
