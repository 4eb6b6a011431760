package io.bulwark.controller.testing;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests: CAs, server and client certificates for keys of any kind (EC, RSA),
 * PEM in the forms tools write (PKCS#8 and traditional keys), and server contexts.
 */
public final class TlsMaterial {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private TlsMaterial() {}

  /** A key pair and its certificate. */
  public record Identity(KeyPair keys, X509Certificate certificate) {}

  public static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed CA. */
  public static Identity ca(String commonName) {
    KeyPair keys = ec();
    return new Identity(keys, sign(commonName, keys.getPublic(), null, keys, true, null));
  }

  /** A server certificate for 127.0.0.1 and localhost, issued by {@code ca}. */
  public static Identity server(Identity ca) {
    KeyPair keys = ec();
    return new Identity(keys, sign("127.0.0.1", keys.getPublic(), ca.certificate(), ca.keys(), false,
        KeyPurposeId.id_kp_serverAuth));
  }

  /** A client certificate for {@code keys}, issued by {@code ca}. */
  public static Identity client(Identity ca, String commonName, KeyPair keys) {
    return new Identity(keys, sign(commonName, keys.getPublic(), ca.certificate(), ca.keys(), false,
        KeyPurposeId.id_kp_clientAuth));
  }

  /** PEM of certificates or keys as {@code JcaPEMWriter} writes them (keys in their traditional form). */
  public static String pem(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(text)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** A private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
  public static String pkcs8(PrivateKey key) {
    try {
      return pem(new JcaPKCS8Generator(key, null).generate());
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A private key as the {@code openssl} command writes it, for example {@code ecparam -name
   * prime256v1 -genkey -noout} (traditional EC) or {@code genrsa -traditional 2048}; further
   * commands, each an argument list, are piped after the first.
   */
  public static String openssl(List<String>... commands) {
    try {
      byte[] in = new byte[0];
      for (List<String> c : commands) {
        List<String> argv = new ArrayList<>(List.of("openssl"));
        argv.addAll(c);
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var stdin = p.getOutputStream()) {
          stdin.write(in);
        }
        in = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
          throw new IllegalStateException("openssl " + c + " failed");
        }
      }
      return new String(in, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The key pair of a traditional (RSA or EC) PEM key that holds its public key, as openssl writes them. */
  public static KeyPair keyPair(String traditionalPem) {
    try (PEMParser parser = new PEMParser(new StringReader(traditionalPem))) {
      return new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parser.readObject());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server context presenting {@code server} (with {@code ca}) that accepts clients of {@code clientCa}. */
  public static SSLContext serverContext(Identity server, Identity ca, Identity clientCa) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", server.keys().getPrivate(), new char[0],
          new X509Certificate[] {server.certificate(), ca.certificate()});
      var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("clients", clientCa.certificate());
      var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(String commonName, PublicKey subjectKey, X509Certificate issuer, KeyPair issuerKeys,
      boolean isCa, KeyPurposeId purpose) {
    Instant now = Instant.now();
    try {
      X500Name subject = new X500Name("CN=" + commonName);
      X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
      var b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject, subjectKey);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign
          : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      if (purpose != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      }
      if (purpose == KeyPurposeId.id_kp_serverAuth) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
            new GeneralName(GeneralName.dNSName, "localhost")}));
      }
      String alg = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(alg).build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a test certificate for " + commonName, e);
    }
  }
}
