package io.bulwark.rules.clamav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.HashTerm.Algorithm;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.testing.ExternalTool;
import io.bulwark.rules.testing.GoldenCase;
import io.bulwark.rules.testing.NetnsFixture.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Loads generated databases with the real {@code sigtool} and {@code clamscan}. */
class ClamavValidationIT {

  @TempDir Path directory;

  @BeforeEach
  void requireTools() {
    ExternalTool.require("clamav", "clamscan", "--version");
    ExternalTool.require("clamav", "sigtool", "--version");
  }

  static Stream<GoldenCase> cases() {
    return GoldenCase.all(ClamavGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sigtool_goldenDatabases_listEverySignature(GoldenCase golden) throws IOException {
    GenerationResult.Rules rules =
        (GenerationResult.Rules) new ClamavGenerator().generate(golden.input());
    for (Map.Entry<String, String> file : rules.files().entrySet()) {
      Path path = Files.writeString(directory.resolve(file.getKey()), file.getValue());
      CommandResult list = ExternalTool.run(null, "sigtool", "--list-sigs=" + path);
      assertTrue(list.ok(), () -> "sigtool rejected " + file.getKey() + ":\n" + list.stderr());
      long lines = file.getValue().lines().count();
      assertEquals(lines, list.stdout().lines().count(), list.stdout());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"MD5", "SHA1", "SHA256"})
  void clamscan_generatedDatabase_detectsFileByItsHashOnly(Algorithm algorithm) throws Exception {
    Path target = writeRandom("target.bin", 11);
    Path other = writeRandom("other.bin", 12);
    List<Term> terms = new ArrayList<>();
    terms.add(hashOf(Files.readAllBytes(target), algorithm));
    terms.add(hashOf(new byte[] {1}, Algorithm.MD5));
    terms.add(hashOf(new byte[] {2}, Algorithm.SHA256));
    RuleInput input = new RuleInput(1, List.of(new CountermeasureTerms(8, Action.BLOCK, terms)));
    GenerationResult.Rules rules = (GenerationResult.Rules) new ClamavGenerator().generate(input);
    List<String> command = new ArrayList<>(List.of("clamscan", "--no-summary"));
    for (Map.Entry<String, String> file : rules.files().entrySet()) {
      Files.writeString(directory.resolve(file.getKey()), file.getValue());
      command.add("--database=" + directory.resolve(file.getKey()));
    }
    List<String> hitCommand = new ArrayList<>(command);
    hitCommand.add(target.toString());
    command.add(other.toString());

    CommandResult hit = ExternalTool.run(null, hitCommand.toArray(String[]::new));
    CommandResult miss = ExternalTool.run(null, command.toArray(String[]::new));

    assertEquals(1, hit.exitCode(), () -> "clamscan: " + hit.stdout() + hit.stderr());
    assertEquals(target + ": Bulwark.Block.cm8.UNOFFICIAL FOUND\n", hit.stdout());
    assertEquals(0, miss.exitCode(), () -> "clamscan: " + miss.stdout() + miss.stderr());
  }

  private Path writeRandom(String name, long seed) throws IOException {
    byte[] content = new byte[4096];
    new Random(seed).nextBytes(content);
    return Files.write(directory.resolve(name), content);
  }

  private static HashTerm hashOf(byte[] content, Algorithm algorithm) throws Exception {
    byte[] digest = MessageDigest.getInstance(algorithm.stixName()).digest(content);
    return new HashTerm(algorithm, HexFormat.of().formatHex(digest));
  }
}
