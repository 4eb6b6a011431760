package io.bulwark.rules.rpz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Sinkhole;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.testing.ExternalTool;
import io.bulwark.rules.testing.GoldenCase;
import io.bulwark.rules.testing.NetnsFixture.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Feeds generated zones to BIND's {@code named-checkzone} (Debian package bind9-utils). */
class RpzValidationIT {

  @TempDir Path directory;

  @BeforeEach
  void requireTool() {
    ExternalTool.require("bind9-utils", "named-checkzone", "-v");
  }

  static Stream<GoldenCase> cases() {
    return GoldenCase.all(RpzGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void namedCheckzone_goldenZone_isAccepted(GoldenCase golden) throws IOException {
    CommandResult check = check(golden.expected());
    assertTrue(check.ok(), () -> "named-checkzone rejected " + golden + ":\n" + check.stdout());
  }

  @Test
  void namedCheckzone_sinkholeAndLongestNames_isAccepted() throws IOException {
    RpzGenerator generator =
        new RpzGenerator(
            new RpzOptions(
                new DomainTerm("rpz.bulwark"), new DomainTerm("sinkhole.example"), true, 100, 60));
    List<Term> terms = new ArrayList<>();
    String label = "a".repeat(63);
    terms.add(new DomainTerm(label + "." + label + "." + label + "." + "b".repeat(61)));
    terms.add(new DomainTerm(label + "." + label + "." + label + "." + "c".repeat(11)));
    terms.add(new DomainTerm("evil.example"));
    GenerationResult.Rules rules =
        (GenerationResult.Rules)
            generator.generate(
                new RuleInput(
                    4_000_000_000L, List.of(new CountermeasureTerms(9, Action.BLOCK, terms))));

    assertFalse(rules.uncovered().isEmpty(), "the longest name cannot fit under the zone");
    CommandResult check = check(rules.text());
    assertTrue(check.ok(), () -> "named-checkzone rejected:\n" + check.stdout());
  }

  @Test
  void namedCheckzone_sinkholeLocalData_isReadAsCnameAAndAaaaRecords() throws IOException {
    GenerationResult.Rules rules =
        (GenerationResult.Rules)
            new RpzGenerator()
                .generate(
                    new RuleInput(
                        2,
                        List.of(
                            sinkhole(1, "Sinkhole.Example.NET", "evil.example"),
                            sinkhole(2, "192.0.2.10", "c2.example"),
                            sinkhole(3, "2001:DB8::10", "v6.example"))));
    Path file = directory.resolve(RpzGenerator.FILE);
    Files.writeString(file, rules.text());

    CommandResult dump =
        ExternalTool.run(
            null, "named-checkzone", "-k", "fail", "-D", "rpz.bulwark", file.toString());

    assertTrue(dump.ok(), dump.stdout());
    String out = dump.stdout().replaceAll("[ \\t]+", " ");
    assertTrue(out.contains("evil.example.rpz.bulwark. 300 IN CNAME sinkhole.example.net."), out);
    assertTrue(out.contains("*.c2.example.rpz.bulwark. 300 IN A 192.0.2.10"), out);
    assertTrue(out.contains("v6.example.rpz.bulwark. 300 IN AAAA 2001:db8::10"), out);
  }

  private static CountermeasureTerms sinkhole(long id, String destination, String name) {
    return new CountermeasureTerms(
        id, Action.SINKHOLE, List.of(new DomainTerm(name)), Sinkhole.parse(destination));
  }

  @Test
  void namedCheckzone_brokenZone_isRejected() throws IOException {
    // Proves the check can fail: a CNAME next to other data at one name.
    String broken =
        "$TTL 60\n@ SOA localhost. h.localhost. 1 1 1 1 1\n@ NS localhost.\n"
            + "a.example CNAME .\na.example A 192.0.2.1\n";
    assertFalse(check(broken).ok());
  }

  private CommandResult check(String zone) throws IOException {
    Path file = directory.resolve(RpzGenerator.FILE);
    Files.writeString(file, zone);
    return ExternalTool.run(
        null, "named-checkzone", "-k", "fail", "-i", "full", "rpz.bulwark", file.toString());
  }
}
