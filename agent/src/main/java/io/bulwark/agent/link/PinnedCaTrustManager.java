package io.bulwark.agent.link;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts the controller only if its chain contains the CA named by the pin in the token file, and
 * the chain then passes the JDK's PKIX checks against that CA alone, with hostname verification.
 *
 * <p>Used for enrollment, before the agent holds the CA. The pinned CA must be among the
 * certificates the server presents (the controller sends its leaf and its CA). There is no trust on
 * first use and no check is skipped: the variants without an {@link SSLEngine} or socket, which
 * cannot verify the hostname, refuse. Client checks always refuse. Thread-safe.
 */
public final class PinnedCaTrustManager extends X509ExtendedTrustManager {

  private final String pin;
  private volatile X509Certificate pinnedCa;

  /**
   * @param pin {@code sha256:} followed by 64 hex digits
   */
  public PinnedCaTrustManager(String pin) {
    this.pin = Objects.requireNonNull(pin, "pin").toLowerCase(Locale.ROOT);
  }

  /** The CA that matched the pin in the last accepted handshake. */
  public Optional<X509Certificate> pinnedCa() {
    return Optional.ofNullable(pinnedCa);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    Objects.requireNonNull(engine, "engine");
    X509Certificate ca = findPinned(chain);
    delegateTrusting(ca).checkServerTrusted(chain, authType, engine);
    pinnedCa = ca;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    Objects.requireNonNull(socket, "socket");
    X509Certificate ca = findPinned(chain);
    delegateTrusting(ca).checkServerTrusted(chain, authType, socket);
    pinnedCa = ca;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException(
        "refusing to check the controller without a TLS connection (no hostname to verify)");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks the controller");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }

  private X509Certificate findPinned(X509Certificate[] chain) throws CertificateException {
    StringJoiner presented = new StringJoiner(", ");
    for (X509Certificate certificate : chain == null ? new X509Certificate[0] : chain) {
      String candidate = SpkiPin.of(certificate);
      if (candidate.equals(pin)) {
        return certificate;
      }
      presented.add(candidate + " (" + certificate.getSubjectX500Principal().getName() + ")");
    }
    throw new CertificateException(
        "controller CA does not match the pin in the token file: expected "
            + pin
            + ", got "
            + (presented.length() == 0 ? "no certificates" : presented.toString()));
  }

  private static X509ExtendedTrustManager delegateTrusting(X509Certificate ca)
      throws CertificateException {
    TrustManager[] managers;
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      anchors.setCertificateEntry("controller-ca", ca);
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(anchors);
      managers = factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new CertificateException("cannot set up PKIX validation: " + e.getMessage(), e);
    }
    for (TrustManager manager : managers) {
      if (manager instanceof X509ExtendedTrustManager extended) {
        return extended;
      }
    }
    throw new CertificateException("the JDK offers no X509ExtendedTrustManager for PKIX");
  }
}
