package io.bulwark.agent.host;

import io.bulwark.agent.AgentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files of the agent: a PKCS#8 EC private key and X.509 certificates. Stateless and
 * thread-safe; failures name the file and never include key material.
 */
public final class Pem {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private Pem() {}

  /** The PEM text of one DER object under {@code label}, lines of 64 characters. */
  public static String encode(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /** The DER contents of every block labelled {@code label}, in file order. */
  public static List<byte[]> decode(String text, String label) {
    List<byte[]> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      if (matcher.group(1).equals(label)) {
        blocks.add(Base64.getMimeDecoder().decode(matcher.group(2)));
      }
    }
    return blocks;
  }

  /** Writes a PKCS#8 private key with mode 0600 from the start. */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    byte[] pem = encode("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII);
    AtomicFiles.write(file, pem, AtomicFiles.OWNER_ONLY);
  }

  /** Reads the EC private key in {@code file}. */
  public static PrivateKey readPrivateKey(Path file) {
    List<byte[]> blocks = decode(read(file), "PRIVATE KEY");
    if (blocks.size() != 1) {
      throw new AgentException(file + " must hold exactly one PKCS#8 PRIVATE KEY block");
    }
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0)));
    } catch (GeneralSecurityException e) {
      throw new AgentException(file + " does not hold a usable EC private key", e);
    }
  }

  /** Writes certificates in the given order. */
  public static void writeCertificates(Path file, List<X509Certificate> certificates)
      throws IOException {
    StringBuilder text = new StringBuilder();
    try {
      for (X509Certificate certificate : certificates) {
        text.append(encode("CERTIFICATE", certificate.getEncoded()));
      }
    } catch (CertificateException e) {
      throw new IOException("cannot encode a certificate for " + file, e);
    }
    AtomicFiles.write(
        file, text.toString().getBytes(StandardCharsets.US_ASCII), AtomicFiles.WORLD_READABLE);
  }

  /** Reads the certificates in {@code file}, in file order; at least one. */
  public static List<X509Certificate> readCertificates(Path file) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (byte[] der : decode(read(file), "CERTIFICATE")) {
      certificates.add(certificate(der, file.toString()));
    }
    if (certificates.isEmpty()) {
      throw new AgentException(file + " holds no CERTIFICATE block");
    }
    return certificates;
  }

  /** Parses one DER certificate; {@code source} names it in the error. */
  public static X509Certificate certificate(byte[] der, String source) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new AgentException(source + " is not a valid X.509 certificate: " + e.getMessage(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
