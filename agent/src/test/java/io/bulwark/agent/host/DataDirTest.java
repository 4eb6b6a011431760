package io.bulwark.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.config.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {

  @TempDir Path dir;

  @Test
  void prepare_createsOrTightensTo0700() throws Exception {
    Path root = dir.resolve("data");
    new DataDir(root).prepare();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));

    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    new DataDir(root).prepare();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
  }

  @Test
  void isEnrolled_needsKeyCertificateAndCa() throws Exception {
    DataDir data = new DataDir(dir);
    Files.writeString(data.privateKey(), "k");
    Files.writeString(data.caCertificate(), "c");
    assertFalse(data.isEnrolled());

    Files.writeString(data.certificate(), "a");

    assertTrue(data.isEnrolled());
  }

  @Test
  void rememberedController_roundTrips() throws Exception {
    DataDir data = new DataDir(dir);
    assertEquals(Optional.empty(), data.rememberedController());

    data.rememberController(new HostPort("ctl.example", 7443));

    assertEquals(Optional.of(new HostPort("ctl.example", 7443)), data.rememberedController());
  }
}
