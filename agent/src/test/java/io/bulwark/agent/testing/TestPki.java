package io.bulwark.agent.testing;

import io.bulwark.agent.link.AgentIdentity;
import io.bulwark.agent.link.SpkiPin;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A throwaway certificate authority for tests: a CA, TLS server certificates and agent certificates
 * signed from CSRs the way the controller signs them.
 *
 * <p>Validity is based on the system clock because the JDK's PKIX validator checks against it, not
 * against an injected clock.
 */
public final class TestPki {

  private static final AtomicLong SERIAL = new AtomicLong(1);

  /** A key and its certificate chain, leaf first, ending with the CA. */
  public record Issued(KeyPair key, List<X509Certificate> chain) {
    public X509Certificate certificate() {
      return chain.get(0);
    }
  }

  private final KeyPair caKey;
  private final X509Certificate ca;
  private final Instant now = Clock.systemUTC().instant();

  private TestPki(String name) throws GeneralSecurityException {
    caKey = newKey();
    X500Name subject = new X500Name("CN=" + name);
    ca =
        sign(
            new JcaX509v3CertificateBuilder(
                subject, serial(), from(), until(), subject, caKey.getPublic()),
            caKey,
            true,
            null,
            null);
  }

  public static TestPki create(String caName) {
    try {
      return new TestPki(caName);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate ca() {
    return ca;
  }

  public String pin() {
    return SpkiPin.of(ca);
  }

  /** A TLS server certificate for the given DNS names and IP addresses. */
  public Issued server(String... names) {
    try {
      KeyPair key = newKey();
      GeneralName[] alternatives = new GeneralName[names.length];
      for (int i = 0; i < names.length; i++) {
        boolean ip = names[i].matches("[0-9.]+");
        alternatives[i] =
            new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
      }
      X509Certificate leaf =
          sign(
              builder("CN=" + names[0], key.getPublic()),
              caKey,
              false,
              new GeneralNames(alternatives),
              KeyPurposeId.id_kp_serverAuth);
      return new Issued(key, List.of(leaf, ca));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs a CSR as the controller does: URI SAN {@code urn:bulwark:device:<device>}. */
  public X509Certificate signRequest(byte[] csrDer, String device) {
    try {
      PublicKey key = new JcaPKCS10CertificationRequest(csrDer).getPublicKey();
      GeneralNames names =
          new GeneralNames(
              new GeneralName(
                  GeneralName.uniformResourceIdentifier, AgentIdentity.DEVICE_URI_PREFIX + device));
      return sign(builder("CN=" + device, key), caKey, false, names, KeyPurposeId.id_kp_clientAuth);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An agent identity for {@code device}, as enrollment would produce it. */
  public AgentIdentity agentIdentity(String device) {
    try {
      KeyPair key = newKey();
      GeneralNames names =
          new GeneralNames(
              new GeneralName(
                  GeneralName.uniformResourceIdentifier, AgentIdentity.DEVICE_URI_PREFIX + device));
      X509Certificate leaf =
          sign(
              builder("CN=" + device, key.getPublic()),
              caKey,
              false,
              names,
              KeyPurposeId.id_kp_clientAuth);
      return new AgentIdentity(key.getPrivate(), List.of(leaf), ca);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private X509v3CertificateBuilder builder(String subject, PublicKey key) {
    return new JcaX509v3CertificateBuilder(
        ca, serial(), from(), until(), new X500Name(subject), key);
  }

  private static X509Certificate sign(
      X509v3CertificateBuilder builder,
      KeyPair issuer,
      boolean isCa,
      GeneralNames names,
      KeyPurposeId purpose)
      throws GeneralSecurityException {
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      if (names != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, names);
      }
      if (purpose != null) {
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    } catch (OperatorCreationException | CertIOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  public static KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private Date from() {
    return Date.from(now.minus(Duration.ofHours(1)));
  }

  private Date until() {
    return Date.from(now.plus(Duration.ofDays(1)));
  }
}
