package io.bulwark.controller.api;

import io.bulwark.controller.pki.FastSignatures;
import io.bulwark.controller.pki.DeviceRefusal;
import io.bulwark.controller.pki.IssuedDeviceCertificates.Issued;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts client certificates issued by the controller's CA (with the JDK's full PKIX checks)
 * and refuses, at the handshake, any that the deny list refuses.
 *
 * <p>The path checks are the JDK's; only the signature of the certificate is verified with
 * {@link FastSignatures}, a fifth of the JDK's cost, which matters when thousands of agents
 * reconnect at once. Revocation is the deny list's, so PKIX's own (CRLs, OCSP) is off, as the
 * JDK's default trust manager has it.
 *
 * <p>A certificate this controller issued, presented byte for byte, is not validated again (see
 * {@link io.bulwark.controller.pki.IssuedDeviceCertificates}); the deny list is asked all the same.
 */
final class DeviceRevocationTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final DevicePeers devices;

  /** @param refusal whether a device's certificate is refused (revoked, or older than its enrollment) */
  DeviceRevocationTrustManager(X509Certificate ca, DeviceRefusal refusal) {
    this(ca, DevicePeers.unrecorded(refusal));
  }

  /** @param devices which certificates were issued here (those skip the path validation) and which are refused */
  DeviceRevocationTrustManager(X509Certificate ca, DevicePeers devices) {
    this(pkix(ca), devices);
  }

  /** With {@code delegate} for the path validation (tests count its calls). */
  DeviceRevocationTrustManager(X509ExtendedTrustManager delegate, DevicePeers devices) {
    this.delegate = delegate;
    this.devices = devices;
  }

  /** The JDK's PKIX checks with {@code ca} as the only anchor, and signatures by {@link FastSignatures}. */
  static X509ExtendedTrustManager pkix(X509Certificate ca) {
    try {
      var params = new PKIXBuilderParameters(Set.of(new TrustAnchor(ca, null)), null);
      params.setRevocationEnabled(false);
      params.setSigProvider(FastSignatures.name());
      TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
      f.init(new CertPathTrustManagerParameters(params));
      return (X509ExtendedTrustManager) f.getTrustManagers()[0];
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up client certificate checks", e);
    }
  }

  /** The full validation, one of the delegate's three forms. */
  @FunctionalInterface
  private interface Validation {
    void run() throws CertificateException;
  }

  /**
   * Runs {@code validation} unless the leaf is one issued here and valid now, then refuses a
   * certificate whose device is revoked or enrolled again since.
   */
  private void check(X509Certificate[] chain, Validation validation) throws CertificateException {
    if (chain == null || chain.length == 0 || chain[0] == null) {
      throw new CertificateException("no client certificate was presented");
    }
    Optional<Issued> known = devices.issued(chain[0]);
    if (known.isEmpty()) {
      validation.run();
    }
    Optional<String> device = DevicePeers.named(chain[0], known);
    if (device.isPresent() && devices.refuses(device.get(), chain[0], known)) {
      throw new CertificateException("the certificate of device " + device.get()
          + " is revoked or was issued before the device's latest enrollment");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, () -> delegate.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, () -> delegate.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, () -> delegate.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("this trust manager checks clients only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("this trust manager checks clients only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this trust manager checks clients only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
