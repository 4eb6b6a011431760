package io.bulwark.controller.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A key made by the controller for itself or its local CLI, with its certificate chain. */
public record IssuedIdentity(PrivateKey key, X509Certificate certificate, X509Certificate ca) {

  /** Writes key, certificate and CA certificate as three PEM files (mode 0600). */
  public void writeTo(java.nio.file.Path keyFile, java.nio.file.Path certFile, java.nio.file.Path caFile) {
    PemFiles.write(keyFile, key);
    PemFiles.write(certFile, certificate);
    PemFiles.write(caFile, ca);
  }
}
