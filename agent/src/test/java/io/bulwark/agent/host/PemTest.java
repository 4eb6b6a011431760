package io.bulwark.agent.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

  @TempDir Path dir;

  @Test
  void writePrivateKey_isPkcs8Pem_withMode0600() throws Exception {
    KeyPair key = TestPki.newKey();
    Path file = dir.resolve("agent.key");

    Pem.writePrivateKey(file, key.getPrivate());

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertArrayEquals(key.getPrivate().getEncoded(), Pem.readPrivateKey(file).getEncoded());
  }

  @Test
  void writePrivateKey_overAWorldReadableFile_leavesMode0600() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.key"), "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    Pem.writePrivateKey(file, TestPki.newKey().getPrivate());

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void certificates_roundTripInOrder() throws Exception {
    TestPki pki = TestPki.create("CA");
    TestPki.Issued server = pki.server("localhost");
    Path file = dir.resolve("chain.pem");

    Pem.writeCertificates(file, server.chain());

    assertEquals(server.chain(), Pem.readCertificates(file));
  }

  @Test
  void decode_picksOnlyTheRequestedLabel() {
    String text =
        Pem.encode("CERTIFICATE", new byte[] {1, 2}) + Pem.encode("PRIVATE KEY", new byte[] {3});

    List<byte[]> keys = Pem.decode(text, "PRIVATE KEY");

    assertEquals(1, keys.size());
    assertArrayEquals(new byte[] {3}, keys.get(0));
  }
}
