package io.bulwark.agent.apply;

import static io.bulwark.agent.testing.GeneratedRules.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.agent.testing.Netns;
import io.bulwark.rules.clamav.ClamavGenerator;
import io.bulwark.rules.rpz.RpzGenerator;
import io.bulwark.rules.suricata.SuricataGenerator;
import io.bulwark.rules.yara.YaraGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file applier with the real validators as its check command ({@code yara}, {@code
 * named-checkzone}, {@code sigtool}) and a real script as its reload command.
 */
class FileApplierIT {

  private static final String MD5 = "44d88612fea8a8f36de82e1278abb02f";
  private static final String SHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";

  @TempDir Path rulesDir;
  @TempDir Path dataDir;
  @TempDir Path scratch;

  @Test
  void yara_goodRules_areCheckedInstalledAndReloaded() throws Exception {
    Netns.requireTool("yara", "yara", "--version");
    Path reloads = scratch.resolve("reloads");
    FileApplier applier = applier(FileTarget.YARA, "yara -w {file} /dev/null", reloadScript(reloads, ""));
    String rules = GeneratedRules.text(new YaraGenerator(), block(3, "md5:" + MD5, "sha256:" + SHA256));

    ApplyOutcome outcome = applier.apply(rules);

    ApplyOutcome.Applied applied = assertInstanceOf(ApplyOutcome.Applied.class, outcome);
    assertTrue(applied.readBackSummary().startsWith("yara: 1 file ("), applied.readBackSummary());
    assertEquals(rules, Files.readString(rulesDir.resolve("bulwark.yar")));
    assertEquals("reloaded " + rulesDir.resolve("bulwark.yar") + "\n", Files.readString(reloads));
    assertFalse(Files.exists(rulesDir.resolve(".bulwark-staging")));
    assertInstanceOf(LiveState.InSync.class, applier.inspect(rules));
  }

  @Test
  void yara_rulesYaraRejects_failWithItsMessage_andNothingChanges() throws Exception {
    Netns.requireTool("yara", "yara", "--version");
    Path reloads = scratch.resolve("reloads");
    FileApplier applier = applier(FileTarget.YARA, "yara -w {file} /dev/null", reloadScript(reloads, ""));
    String good = GeneratedRules.text(new YaraGenerator(), block(3, "md5:" + MD5));
    applier.apply(good);

    ApplyOutcome outcome = applier.apply("rule broken { condition: no_such_identifier }\n");

    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, outcome);
    assertTrue(failed.error().startsWith("check command 'yara -w {file} /dev/null' exited with status 1: "), failed.error());
    assertTrue(failed.error().contains("no_such_identifier"), failed.error());
    assertTrue(failed.error().endsWith("; nothing was changed"), failed.error());
    assertEquals(good, Files.readString(rulesDir.resolve("bulwark.yar")));
    assertEquals(1, Files.readAllLines(reloads).size(), "reloaded once, for the good rules");
  }

  @Test
  void rpz_namedCheckzone_acceptsTheGeneratedZone_andRefusesABrokenOne() throws Exception {
    Netns.requireTool("bind9-utils", "named-checkzone", "-v");
    FileApplier applier = applier(FileTarget.RPZ, "named-checkzone -k fail rpz.bulwark {file}", null);
    String zone = GeneratedRules.text(new RpzGenerator(), block(5, "domain:evil.example", "domain:bad.example"));

    assertInstanceOf(ApplyOutcome.Applied.class, applier.apply(zone));
    String broken = zone + "evil.example CNAME .\nevil.example A 192.0.2.1\n";
    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, applier.apply(broken));

    assertTrue(failed.error().startsWith("check command 'named-checkzone"), failed.error());
    assertEquals(zone, Files.readString(rulesDir.resolve("bulwark.rpz.zone")));
  }

  @Test
  void clamav_sigtool_checksEachDatabase_andADatabaseNoLongerNeededIsRemoved() throws Exception {
    Netns.requireTool("clamav", "sigtool", "--version");
    FileApplier applier = applier(FileTarget.CLAMAV, "sigtool --list-sigs={file}", null);
    String both = GeneratedRules.text(new ClamavGenerator(), block(8, "md5:" + MD5, "sha256:" + SHA256));
    String shaOnly = GeneratedRules.text(new ClamavGenerator(), block(8, "sha256:" + SHA256));

    assertInstanceOf(ApplyOutcome.Applied.class, applier.apply(both));
    assertEquals(List.of("bulwark.hdb", "bulwark.hsb"), names());
    assertInstanceOf(ApplyOutcome.Applied.class, applier.apply(shaOnly));
    assertEquals(List.of("bulwark.hsb"), names());
    ApplyOutcome.Failed failed =
        assertInstanceOf(ApplyOutcome.Failed.class, applier.apply(shaOnly + SHA256 + "\n"));

    assertTrue(failed.error().startsWith("check command 'sigtool --list-sigs={file}' exited"), failed.error());
    assertEquals(shaOnly, Files.readString(rulesDir.resolve("bulwark.hsb")));
    assertInstanceOf(LiveState.InSync.class, applier.inspect(shaOnly));
  }

  @Test
  void reloadFailure_putsThePreviousFilesBack_andReloadsThem() throws Exception {
    Path reloads = scratch.resolve("reloads");
    FileApplier applier = applier(FileTarget.SURICATA, null, reloadScript(reloads, "cm2"));
    String first = GeneratedRules.text(new SuricataGenerator(), block(1, "198.51.100.7", "sha256:" + SHA256));
    String second = GeneratedRules.text(new SuricataGenerator(), block(2, "203.0.113.9"));
    applier.apply(first);
    List<String> before = names();

    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, applier.apply(second));

    assertTrue(failed.error().startsWith("reload command '"), failed.error());
    assertTrue(failed.error().endsWith("exited with status 1: refusing cm2; the previous files were restored"), failed.error());
    assertEquals(before, names());
    assertInstanceOf(LiveState.InSync.class, applier.inspect(first));
    assertEquals(2, Files.readAllLines(reloads).size(), "the first rules, then again after the failure");
  }

  @Test
  void foreignFileNames_areRefused_andNothingIsWritten() throws Exception {
    FileApplier applier = applier(FileTarget.SURICATA, null, null);

    ApplyOutcome outcome = applier.apply("==> bulwark.rules <==\n==> suricata.yaml <==\nx: 1\n");

    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, outcome);
    assertEquals("refused: file name suricata.yaml does not start with 'bulwark'", failed.error());
    assertEquals(List.of(), names());
  }

  @Test
  void inspect_seesFilesChangedByHand_andRestoreOfNothingLeavesOthersFiles() throws Exception {
    FileApplier applier = applier(FileTarget.SURICATA, null, null);
    Files.writeString(rulesDir.resolve("local.rules"), "alert ip any any -> any any (sid:1;)\n");
    String rules = GeneratedRules.text(new SuricataGenerator(), block(1, "198.51.100.7", "sha256:" + SHA256));
    applier.apply(rules);
    String listFile = names().stream().filter(n -> n.endsWith(".txt")).findFirst().orElseThrow();

    Files.writeString(rulesDir.resolve(listFile), MD5 + "\n", java.nio.file.StandardOpenOption.APPEND);
    LiveState.Drifted edited = assertInstanceOf(LiveState.Drifted.class, applier.inspect(rules));
    assertTrue(edited.difference().startsWith(listFile + " differs from the applied rules ("), edited.difference());

    applier.apply(rules);
    Files.writeString(rulesDir.resolve("bulwark-extra.rules"), "");
    LiveState.Drifted extra = assertInstanceOf(LiveState.Drifted.class, applier.inspect(rules));
    assertEquals("bulwark-extra.rules in " + rulesDir + " is not in the applied rules", extra.difference());

    assertInstanceOf(ApplyOutcome.Applied.class, applier.restore(""));
    assertEquals(List.of("local.rules"), names());
  }

  @Test
  void restore_ofASnapshot_putsTheFilesBackExactly() throws Exception {
    FileApplier applier = applier(FileTarget.SURICATA, null, null);
    String first = GeneratedRules.text(new SuricataGenerator(), block(1, "198.51.100.7", "sha256:" + SHA256));
    applier.apply(first);
    String snapshot = applier.snapshot().orElseThrow();
    applier.apply(GeneratedRules.text(new SuricataGenerator(), block(2, "203.0.113.9")));

    assertInstanceOf(ApplyOutcome.Applied.class, applier.restore(snapshot));

    assertInstanceOf(LiveState.InSync.class, applier.inspect(first));
    assertEquals(snapshot, applier.snapshot().orElseThrow());
  }

  private FileApplier applier(FileTarget target, String check, String reload) {
    return new FileApplier(
        target,
        rulesDir,
        Optional.ofNullable(check).map(FileCommand::parse),
        Optional.ofNullable(reload).map(FileCommand::parse),
        dataDir);
  }

  /** A reload command that logs each call, and fails when the rules contain {@code refuse}. */
  private String reloadScript(Path log, String refuse) throws Exception {
    Path script = scratch.resolve("reload.sh");
    String guard = refuse.isEmpty() ? "" : "if grep -q " + refuse + " \"$1\"; then echo refusing " + refuse + " >&2; exit 1; fi\n";
    Files.writeString(script, "#!/bin/sh\n" + guard + "echo reloaded \"$1\" >> " + log + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script + " {file}";
  }

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(rulesDir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
