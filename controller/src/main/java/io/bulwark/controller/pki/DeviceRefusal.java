package io.bulwark.controller.pki;

/**
 * Whether a device's certificate is refused: the device is revoked, or the certificate is older
 * than the device's latest enrollment. Asked at each TLS handshake and each call, so it must not
 * wait on a database. See {@link DeviceDenyList}.
 */
@FunctionalInterface
public interface DeviceRefusal {
  /** @param notBeforeMillis the start of the certificate's validity, epoch milliseconds */
  boolean refuses(String device, long notBeforeMillis);
}
