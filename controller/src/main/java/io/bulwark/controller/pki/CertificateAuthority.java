package io.bulwark.controller.pki;

import io.bulwark.controller.domain.InvalidRequestException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The controller's certificate authority (ECDSA P-256). It signs the controller's server
 * certificate, the local CLI's user certificate and device certificates. The identity in a
 * device certificate comes from the caller (the token's binding), never from the request.
 * Thread-safe.
 */
public final class CertificateAuthority {
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final Clock clock;

  private CertificateAuthority(PrivateKey key, X509Certificate certificate, Clock clock) {
    this.key = key;
    this.certificate = certificate;
    this.clock = clock;
  }

  /** Loads the CA from {@code dir/ca.key} and {@code dir/ca.crt}, creating both on first use. */
  public static CertificateAuthority loadOrCreate(Path dir, Clock clock) {
    Path keyFile = dir.resolve("ca.key");
    Path certFile = dir.resolve("ca.crt");
    if (Files.exists(keyFile) && Files.exists(certFile)) {
      return new CertificateAuthority(
          PemFiles.readPrivateKey(keyFile), PemFiles.readCertificates(certFile).get(0), clock);
    }
    CertificateAuthority ca = create("Bulwark CA", clock);
    PemFiles.write(keyFile, ca.key);
    PemFiles.write(certFile, ca.certificate);
    return ca;
  }

  /** A new CA that lives in memory only (tests, and {@link #loadOrCreate} on first start). */
  public static CertificateAuthority create(String commonName, Clock clock) {
    KeyPair pair = newKeyPair();
    Instant now = clock.instant();
    X500Name name = new X500Name("CN=" + commonName);
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name, serial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name,
              pair.getPublic());
      var ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(pair.getPrivate(), sign(builder, pair.getPrivate()), clock);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot create CA certificate", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** "sha256:" and the hex SHA-256 of the CA's SubjectPublicKeyInfo: what agents pin. */
  public String pin() {
    return pinOf(certificate.getPublicKey());
  }

  /** The pin of any public key, in the form {@link #pin()} returns. */
  public static String pinOf(PublicKey publicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Signs a device certificate for the key in {@code csrDer}. Subject and names come from
   * {@code device} alone; the request only proves possession of its key.
   *
   * @throws InvalidRequestException when the request is malformed, its signature does not
   *     verify, or its key is not ECDSA P-256
   */
  public X509Certificate issueDevice(byte[] csrDer, String device, Duration validity) {
    PublicKey publicKey = verifiedKey(csrDer);
    List<GeneralName> names = List.of(new GeneralName(GeneralName.uniformResourceIdentifier, Identities.DEVICE + device));
    return issue("CN=" + device, publicKey, names, KeyPurposeId.id_kp_clientAuth, validity);
  }

  /** Makes a key and server certificate naming the given hosts and addresses. */
  public IssuedIdentity issueServer(Collection<String> dnsNames, Collection<InetAddress> addresses, Duration validity) {
    KeyPair pair = newKeyPair();
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, Identities.CONTROLLER));
    dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    addresses.forEach(a -> names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress().replaceAll("%.*$", ""))));
    X509Certificate cert =
        issue("CN=bulwark-controller", pair.getPublic(), names, KeyPurposeId.id_kp_serverAuth, validity);
    return new IssuedIdentity(pair.getPrivate(), cert, certificate);
  }

  /** Makes a key and user certificate carrying a role, for the admin API. */
  public IssuedIdentity issueUser(String user, String role, Duration validity) {
    KeyPair pair = newKeyPair();
    List<GeneralName> names =
        List.of(
            new GeneralName(GeneralName.uniformResourceIdentifier, Identities.USER + user),
            new GeneralName(GeneralName.uniformResourceIdentifier, Identities.ROLE + role));
    X509Certificate cert = issue("CN=" + user, pair.getPublic(), names, KeyPurposeId.id_kp_clientAuth, validity);
    return new IssuedIdentity(pair.getPrivate(), cert, certificate);
  }

  private X509Certificate issue(
      String subject, PublicKey publicKey, List<GeneralName> names, KeyPurposeId purpose, Duration validity) {
    Instant now = clock.instant();
    try {
      var ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              certificate, serial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)),
              new X500Name(subject), publicKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(
          Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
      builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      return sign(builder, key);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot issue certificate for " + subject, e);
    }
  }

  private static PublicKey verifiedKey(byte[] csrDer) {
    try {
      var csr = new JcaPKCS10CertificationRequest(csrDer);
      PublicKey publicKey = csr.getPublicKey();
      var verifiers = new JcaContentVerifierProviderBuilder().setProvider(FastSignatures.provider());
      if (!csr.isSignatureValid(verifiers.build(publicKey))) {
        throw new InvalidRequestException("certificate request signature does not verify");
      }
      if (!(publicKey instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new InvalidRequestException("certificate request key must be ECDSA P-256");
      }
      return publicKey;
    } catch (java.io.IOException | IllegalArgumentException | ClassCastException e) {
      throw new InvalidRequestException("certificate request is not a valid PKCS#10 request");
    } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
      throw new InvalidRequestException("certificate request cannot be verified: " + e.getMessage());
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws GeneralSecurityException {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").setProvider(FastSignatures.provider()).build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** A new ECDSA P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
