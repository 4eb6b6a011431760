package io.bulwark.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  private static final String PIN = "sha256:" + "ab".repeat(32);

  @TempDir Path dir;

  @Test
  void read_completeFile_givesEveryField() throws Exception {
    Path file =
        write(
            "# written by bulwark token create\n"
                + "device=web-01\ntoken=t1.s3cr3t\nca_pin=sha256:"
                + "AB".repeat(32)
                + "\n"
                + "controller=ctl.example:7443\nexpires=2030-01-01T00:00:00Z\n");

    TokenFile token = TokenFile.read(file);

    assertEquals("web-01", token.device());
    assertEquals("t1.s3cr3t", token.token());
    assertEquals(PIN, token.caPin());
    assertEquals(new HostPort("ctl.example", 7443), token.controller());
    assertEquals(Instant.parse("2030-01-01T00:00:00Z"), token.expires());
  }

  @Test
  void read_withoutOptionalKeys_leavesThemNull() throws Exception {
    TokenFile token = TokenFile.read(write("device=a\ntoken=i.s\nca_pin=" + PIN + "\n"));

    assertNull(token.controller());
    assertNull(token.expires());
  }

  @Test
  void read_missingKeys_namesEveryOne() throws Exception {
    Path file = write("device=web-01\n# token=commented.out\n");

    ConfigException e = assertThrows(ConfigException.class, () -> TokenFile.read(file));

    assertEquals("token file " + file + " is missing keys token, ca_pin", e.getMessage());
  }

  @Test
  void read_missingFile_saysSo() {
    Path file = dir.resolve("nope.token");

    ConfigException e = assertThrows(ConfigException.class, () -> TokenFile.read(file));

    assertEquals("token file " + file + " does not exist", e.getMessage());
  }

  @Test
  void read_badPin_isRefused() throws Exception {
    Path file = write("device=a\ntoken=i.s\nca_pin=md5:abc\n");

    ConfigException e = assertThrows(ConfigException.class, () -> TokenFile.read(file));

    assertTrue(e.getMessage().contains("ca_pin must be 'sha256:' followed by 64 hex digits"));
  }

  @Test
  void read_malformedToken_isRefusedWithoutShowingIt() throws Exception {
    Path file = write("device=a\ntoken=nodotsecret\nca_pin=" + PIN + "\n");

    ConfigException e = assertThrows(ConfigException.class, () -> TokenFile.read(file));

    assertTrue(e.getMessage().contains("token is not of the form <id>.<secret>"));
    assertFalse(e.getMessage().contains("nodotsecret"));
  }

  @Test
  void read_badControllerAndExpiry_areNamed() throws Exception {
    Path badController = write("device=a\ntoken=i.s\nca_pin=" + PIN + "\ncontroller=nocolon\n");
    assertTrue(
        assertThrows(ConfigException.class, () -> TokenFile.read(badController))
            .getMessage()
            .contains("bad controller address 'nocolon'"));

    Path badExpiry = write("device=a\ntoken=i.s\nca_pin=" + PIN + "\nexpires=tomorrow\n");
    assertTrue(
        assertThrows(ConfigException.class, () -> TokenFile.read(badExpiry))
            .getMessage()
            .contains("expires is not an ISO instant: 'tomorrow'"));
  }

  @Test
  void toString_neverShowsTheToken() throws Exception {
    TokenFile token = TokenFile.read(write("device=a\ntoken=id.topsecret\nca_pin=" + PIN + "\n"));

    assertFalse(token.toString().contains("topsecret"));
  }

  private Path write(String text) throws Exception {
    return Files.writeString(dir.resolve("enroll.token"), text);
  }
}
