package io.bulwark.agent.link;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.host.Pem;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The agent's credentials after enrollment: its private key, its certificate chain (leaf first,
 * without the CA) and the controller's CA.
 *
 * <p>The device name is the one the controller wrote into the certificate as the URI SAN {@code
 * urn:bulwark:device:<name>}; the agent never names itself on the wire. Immutable; {@link
 * #toString()} never shows the key.
 */
public record AgentIdentity(
    PrivateKey privateKey, List<X509Certificate> certificateChain, X509Certificate ca) {

  /** Prefix of the URI SAN that names the device. */
  public static final String DEVICE_URI_PREFIX = "urn:bulwark:device:";

  public AgentIdentity {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(ca, "ca");
    certificateChain = List.copyOf(certificateChain);
    if (certificateChain.isEmpty()) {
      throw new AgentException("the agent certificate chain is empty");
    }
  }

  /**
   * Loads the credentials from {@code agent.key}, {@code agent.crt} and {@code ca.pem}. When a
   * renewal was cut short after the new key was written but before its certificate, the key
   * that still matches the certificate ({@code agent.key.previous}) is used.
   */
  public static AgentIdentity load(DataDir dataDir) {
    List<X509Certificate> chain = Pem.readCertificates(dataDir.certificate());
    PrivateKey key = Pem.readPrivateKey(dataDir.privateKey());
    java.nio.file.Path previous = dataDir.resolve("agent.key.previous");
    if (!matches(key, chain.get(0)) && java.nio.file.Files.isRegularFile(previous)) {
      key = Pem.readPrivateKey(previous);
    }
    return new AgentIdentity(key, chain, Pem.readCertificates(dataDir.caCertificate()).get(0));
  }

  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    try {
      byte[] probe = "bulwark key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.security.Signature sign = java.security.Signature.getInstance("SHA256withECDSA");
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      java.security.Signature verify = java.security.Signature.getInstance("SHA256withECDSA");
      verify.initVerify(certificate.getPublicKey());
      verify.update(probe);
      return verify.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  public X509Certificate certificate() {
    return certificateChain.get(0);
  }

  /** The device name from the certificate. */
  public String device() {
    return deviceOf(certificate());
  }

  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /**
   * The device named by {@code certificate}'s {@code urn:bulwark:device:} URI SAN.
   *
   * @throws AgentException when it has none
   */
  public static String deviceOf(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (Integer.valueOf(6).equals(name.get(0))
              && name.get(1) instanceof String uri
              && uri.startsWith(DEVICE_URI_PREFIX)
              && uri.length() > DEVICE_URI_PREFIX.length()) {
            return uri.substring(DEVICE_URI_PREFIX.length());
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new AgentException("cannot read the agent certificate's names: " + e.getMessage(), e);
    }
    throw new AgentException(
        "the agent certificate has no "
            + DEVICE_URI_PREFIX
            + "<name> URI subject alternative name");
  }

  @Override
  public String toString() {
    return "AgentIdentity[certificate="
        + certificate().getSubjectX500Principal()
        + ", ca="
        + ca.getSubjectX500Principal()
        + "]";
  }
}
