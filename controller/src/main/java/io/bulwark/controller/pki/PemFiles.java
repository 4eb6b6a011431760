package io.bulwark.controller.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes keys and certificates as PEM. Files are written atomically (a temporary
 * file renamed into place) and readable by their owner only, from the moment they exist.
 */
public final class PemFiles {
  private PemFiles() {}

  /** Writes objects (keys, certificates) as PEM to {@code file} with mode 0600. */
  public static void write(Path file, Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      for (Object o : objects) {
        // PKCS#8 for keys: the form Netty and OpenSSL both read.
        pem.writeObject(o instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writePrivate(file, text.toString());
  }

  /** Writes text to {@code file} with mode 0600, replacing it atomically. */
  public static void writePrivate(Path file, String text) {
    writePrivate(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes bytes to {@code file} with mode 0600, replacing it atomically. */
  public static void writePrivate(Path file, byte[] content) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp =
          Files.createTempFile(
              dir, "." + file.getFileName(), ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, content);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the first private key in a PEM file. */
  public static PrivateKey readPrivateKey(Path file) {
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
      Object o = parser.readObject();
      if (o instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      if (o instanceof org.bouncycastle.openssl.PEMKeyPair pair) {
        return new JcaPEMKeyConverter().getPrivateKey(pair.getPrivateKeyInfo());
      }
      throw new IllegalArgumentException(file + " holds no private key");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads every certificate in a PEM file, in order, skipping keys and comments. */
  public static List<X509Certificate> readCertificates(Path file) {
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
      List<X509Certificate> out = new ArrayList<>();
      var converter = new JcaX509CertificateConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no certificate");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + " holds a broken certificate: " + e.getMessage(), e);
    }
  }
}
