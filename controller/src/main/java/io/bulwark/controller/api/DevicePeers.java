package io.bulwark.controller.api;

import io.bulwark.controller.pki.DeviceRefusal;
import io.bulwark.controller.pki.Identities;
import io.bulwark.controller.pki.IssuedDeviceCertificates.Issued;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the agent listener knows of a device certificate: whether it is one this controller issued
 * (then its device and validity come from that record, and the certificate is neither validated
 * again nor parsed), which device it names, and whether that device refuses it. Thread-safe if
 * its parts are.
 */
final class DevicePeers {
  /** No record of issued certificates: each one is validated and read the full way. */
  static DevicePeers unrecorded(DeviceRefusal refusal) {
    return new DevicePeers(c -> Optional.empty(), refusal);
  }

  private final Function<X509Certificate, Optional<Issued>> issued;
  private final DeviceRefusal refusal;

  /**
   * @param issued a certificate's device and validity start if it is, byte for byte, one issued
   *     here and valid now ({@link io.bulwark.controller.pki.IssuedDeviceCertificates#find})
   */
  DevicePeers(Function<X509Certificate, Optional<Issued>> issued, DeviceRefusal refusal) {
    this.issued = issued;
    this.refusal = refusal;
  }

  /** See the constructor. */
  Optional<Issued> issued(X509Certificate leaf) {
    return issued.apply(leaf);
  }

  /**
   * The one device {@code leaf} names, whether or not it is refused: the record's when {@code
   * known} (what {@link #issued} found), else its subject alternative name's.
   */
  static Optional<String> named(X509Certificate leaf, Optional<Issued> known) {
    return known.isPresent() ? Optional.of(known.get().device()) : Identities.single(leaf, Identities.DEVICE);
  }

  /** Whether {@code device}, named by {@code leaf}, refuses it; {@code known} saves parsing it. */
  boolean refuses(String device, X509Certificate leaf, Optional<Issued> known) {
    long notBefore = known.isPresent() ? known.get().notBeforeMillis() : leaf.getNotBefore().getTime();
    return refusal.refuses(device, notBefore);
  }

  /** The device {@code leaf} names, unless there is none, more than one, or it is refused. */
  Optional<String> device(X509Certificate leaf) {
    return device(leaf, issued(leaf));
  }

  /**
   * As {@link #device}, for a call: also none when {@code leaf} is not valid now. A connection made
   * while the certificate was valid may carry calls after it expired; the handshake's own check
   * runs on the real time, and so does this one. A certificate in the record is valid now already.
   */
  Optional<String> deviceForCall(X509Certificate leaf) {
    Optional<Issued> known = issued(leaf);
    return known.isEmpty() && !validNow(leaf) ? Optional.empty() : device(leaf, known);
  }

  private Optional<String> device(X509Certificate leaf, Optional<Issued> known) {
    return named(leaf, known).filter(d -> !refuses(d, leaf, known));
  }

  private static boolean validNow(X509Certificate leaf) {
    try {
      leaf.checkValidity();
      return true;
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      return false;
    }
  }
}
