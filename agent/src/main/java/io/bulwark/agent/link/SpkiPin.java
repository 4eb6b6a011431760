package io.bulwark.agent.link;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The pin of a certificate: {@code sha256:} and the lowercase hex SHA-256 of its DER
 * SubjectPublicKeyInfo, the form {@code bulwark token create} writes as {@code ca_pin}.
 */
public final class SpkiPin {

  private SpkiPin() {}

  public static String of(X509Certificate certificate) {
    try {
      byte[] spki = certificate.getPublicKey().getEncoded();
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
