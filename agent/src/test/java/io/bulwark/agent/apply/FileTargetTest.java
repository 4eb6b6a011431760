package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileTargetTest {

  @Test
  void singleFile_isNamedByTheTarget() {
    assertEquals(Map.of("bulwark.yar", "rule a {}\n"), FileTarget.YARA.files("rule a {}\n"));
    assertEquals(Map.of("bulwark.rpz.zone", "$TTL 60\n"), FileTarget.RPZ.files("$TTL 60\n"));
    assertEquals(Map.of("bulwark.rules", ""), FileTarget.SURICATA.files(""));
  }

  @Test
  void clamavSingleFile_isNamedByItsHashLength() {
    String md5 = "44d88612fea8a8f36de82e1278abb02f:*:Bulwark.Block.cm1:73\n";
    String sha1 = "3395856ce81f2b7382dee72602f798b642f14140:*:Bulwark.Block.cm1:73\n";

    assertEquals(Map.of("bulwark.hdb", md5), FileTarget.CLAMAV.files(md5));
    assertEquals(Map.of("bulwark.hsb", sha1), FileTarget.CLAMAV.files(sha1));
    assertEquals(Map.of(), FileTarget.CLAMAV.files(""));
  }

  @Test
  void namedFiles_mustStartWithBulwark() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FileTarget.SURICATA.files("==> threshold.config <==\n"));

    assertEquals("file name threshold.config does not start with 'bulwark'", e.getMessage());
  }

  @Test
  void parse_knowsTheFourTargets() {
    assertEquals(Optional.of(FileTarget.CLAMAV), FileTarget.parse("clamav"));
    assertEquals(Optional.empty(), FileTarget.parse("nftables"));
  }

  @Test
  void command_splitsOnSpaces_andReplacesPlaceholdersInsideWords() {
    FileCommand command = FileCommand.parse("  sigtool  --list-sigs={file} {dir}/x ");

    assertEquals(
        List.of("sigtool", "--list-sigs=/r/bulwark.hdb", "/r/x"),
        command.expand(Path.of("/r/bulwark.hdb"), Path.of("/r")));
    assertEquals(true, command.needsFile());
    assertThrows(IllegalArgumentException.class, () -> FileCommand.parse("   "));
    assertThrows(IllegalArgumentException.class, () -> FileCommand.parse("rndc reload\nrm -rf /"));
  }
}
