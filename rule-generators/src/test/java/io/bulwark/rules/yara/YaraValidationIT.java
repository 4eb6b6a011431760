package io.bulwark.rules.yara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.HashTerm.Algorithm;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import io.bulwark.rules.testing.ExternalTool;
import io.bulwark.rules.testing.GoldenCase;
import io.bulwark.rules.testing.NetnsFixture.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Compiles generated rules with the real {@code yara} and matches files by hash. */
class YaraValidationIT {

  @TempDir Path directory;

  @BeforeEach
  void requireTool() {
    ExternalTool.require("yara", "yara", "--version");
  }

  static Stream<GoldenCase> cases() {
    return GoldenCase.all(YaraGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void yarac_goldenRules_compile(GoldenCase golden) throws IOException {
    Path rules = write(YaraGenerator.FILE, golden.expected());
    CommandResult compile =
        ExternalTool.run(
            null, "yarac", "-w", rules.toString(), directory.resolve("out").toString());
    assertTrue(compile.ok(), () -> "yarac rejected " + golden + ":\n" + compile.stderr());
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"MD5", "SHA1", "SHA256"})
  void yara_generatedRule_matchesFileByItsHashOnly(Algorithm algorithm) throws Exception {
    Path target = writeRandom("target.bin", 1);
    Path other = writeRandom("other.bin", 2);
    HashTerm hash = hashOf(target, algorithm);
    List<Term> terms = List.of(hash, hashOf(directory.resolve("none"), Algorithm.MD5));
    Path rules = write(YaraGenerator.FILE, generate(terms));

    CommandResult hit = ExternalTool.run(null, "yara", "-w", rules.toString(), target.toString());
    CommandResult miss = ExternalTool.run(null, "yara", "-w", rules.toString(), other.toString());

    assertTrue(hit.ok(), hit.stderr());
    assertEquals("bulwark_cm5 " + target + "\n", hit.stdout());
    assertEquals("", miss.stdout());
  }

  @Test
  void yara_upperCaseDigest_compilesButNeverMatches() throws Exception {
    // Why the generator lower-cases: this rule is accepted and silently useless.
    Path target = writeRandom("target.bin", 3);
    String upper = hashOf(target, Algorithm.SHA256).hex().toUpperCase(java.util.Locale.ROOT);
    Path rules =
        write(
            "upper.yar",
            "import \"hash\"\nrule u { condition: hash.sha256(0, filesize) == \""
                + upper
                + "\" }\n");

    CommandResult run = ExternalTool.run(null, "yara", "-w", rules.toString(), target.toString());

    assertTrue(run.ok(), run.stderr());
    assertEquals("", run.stdout());
  }

  private static String generate(List<Term> terms) {
    RuleInput input = new RuleInput(1, List.of(new CountermeasureTerms(5, Action.BLOCK, terms)));
    return ((GenerationResult.Rules) new YaraGenerator().generate(input)).text();
  }

  private Path writeRandom(String name, long seed) throws IOException {
    byte[] content = new byte[4096];
    new Random(seed).nextBytes(content);
    return Files.write(directory.resolve(name), content);
  }

  private static HashTerm hashOf(Path file, Algorithm algorithm)
      throws IOException, NoSuchAlgorithmException {
    byte[] content = Files.exists(file) ? Files.readAllBytes(file) : new byte[] {42};
    byte[] digest = MessageDigest.getInstance(algorithm.stixName()).digest(content);
    String hex = HexFormat.of().formatHex(digest);
    return ((TermParse.Valid<HashTerm>) HashTerm.parse(algorithm, hex)).term();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(directory.resolve(name), content);
  }
}
