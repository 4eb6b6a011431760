package io.bulwark.controller.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The identities Bulwark writes into certificates as URI subject alternative names:
 * {@code urn:bulwark:device:NAME} for agents, {@code urn:bulwark:user:NAME} with
 * {@code urn:bulwark:role:ROLE} for admin users, {@code urn:bulwark:controller} for the server.
 */
public final class Identities {
  public static final String DEVICE = "urn:bulwark:device:";
  public static final String USER = "urn:bulwark:user:";
  public static final String ROLE = "urn:bulwark:role:";
  public static final String CONTROLLER = "urn:bulwark:controller";
  private static final int URI_NAME = 6;

  private Identities() {}

  /** The URI subject alternative names of a certificate. */
  public static List<String> uris(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      var names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (((Integer) name.get(0)) == URI_NAME) {
            out.add((String) name.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return List.of();
    }
    return out;
  }

  /** The single value after {@code prefix}, or empty when there is none or more than one. */
  public static Optional<String> single(X509Certificate cert, String prefix) {
    List<String> values =
        uris(cert).stream().filter(u -> u.startsWith(prefix)).map(u -> u.substring(prefix.length())).toList();
    return values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
  }
}
