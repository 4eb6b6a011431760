package io.bulwark.controller.api;

import io.bulwark.controller.pki.FastSignatures;
import io.bulwark.controller.pki.Identities;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
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
 * <p>A certificate this controller issued, presented byte for byte ({@code issuedHere}), is not
 * validated again: see {@link io.bulwark.controller.pki.IssuedDeviceCertificates}. The deny list
 * is asked all the same.
 */
final class DeviceRevocationTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final BiPredicate<String, X509Certificate> refused;
  private final Predicate<X509Certificate> issuedHere;

  /** @param refused whether a device's certificate is refused (revoked, or older than its enrollment) */
  DeviceRevocationTrustManager(X509Certificate ca, BiPredicate<String, X509Certificate> refused) {
    this(ca, refused, c -> false);
  }

  /**
   * @param issuedHere whether a certificate is, byte for byte, one this controller issued under
   *     {@code ca} and valid now: such a certificate skips the path validation
   */
  DeviceRevocationTrustManager(X509Certificate ca, BiPredicate<String, X509Certificate> refused,
      Predicate<X509Certificate> issuedHere) {
    this(pkix(ca), refused, issuedHere);
  }

  /** With {@code delegate} for the path validation (tests count its calls). */
  DeviceRevocationTrustManager(X509ExtendedTrustManager delegate, BiPredicate<String, X509Certificate> refused,
      Predicate<X509Certificate> issuedHere) {
    this.delegate = delegate;
    this.refused = refused;
    this.issuedHere = issuedHere;
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

  /** Whether the path validation can be skipped: the leaf is one issued here, valid now. */
  private boolean issuedHere(X509Certificate[] chain) {
    return chain != null && chain.length > 0 && issuedHere.test(chain[0]);
  }

  private void refuseRevoked(X509Certificate[] chain) throws CertificateException {
    var device = Identities.single(chain[0], Identities.DEVICE);
    if (device.isPresent() && refused.test(device.get(), chain[0])) {
      throw new CertificateException("the certificate of device " + device.get()
          + " is revoked or was issued before the device's latest enrollment");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    if (!issuedHere(chain)) {
      delegate.checkClientTrusted(chain, authType, engine);
    }
    refuseRevoked(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    if (!issuedHere(chain)) {
      delegate.checkClientTrusted(chain, authType, socket);
    }
    refuseRevoked(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (!issuedHere(chain)) {
      delegate.checkClientTrusted(chain, authType);
    }
    refuseRevoked(chain);
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
