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

  /** Loads the credentials from {@code agent.key}, {@code agent.crt} and {@code ca.pem}. */
  public static AgentIdentity load(DataDir dataDir) {
    return new AgentIdentity(
        Pem.readPrivateKey(dataDir.privateKey()),
        Pem.readCertificates(dataDir.certificate()),
        Pem.readCertificates(dataDir.caCertificate()).get(0));
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
