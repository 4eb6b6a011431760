package io.bulwark.rules.rpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Sinkhole;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.testing.DeltaPairs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Applies the DNS UPDATE script of delta(N, N+1) to the records of full(N), strictly (a delete must
 * find its record, an add must not), and compares the result with the records of full(N+1).
 */
class RpzDeltaTest {

  private static final Pattern RECORD =
      Pattern.compile("(\\S+) ((?:CNAME|A|AAAA) \\S+) ; cm[0-9]+");
  private static final Pattern DELETE =
      Pattern.compile("update delete (\\S+)\\.rpz\\.bulwark\\. (CNAME|A|AAAA)");
  private static final Pattern ADD =
      Pattern.compile("update add (\\S+)\\.rpz\\.bulwark\\. 300 ((?:CNAME|A|AAAA) \\S+)");
  private static final Pattern SOA =
      Pattern.compile(
          "update add rpz\\.bulwark\\. 300 SOA localhost\\. hostmaster\\.localhost\\. ([0-9]+)"
              + " 3600 600 86400 300");

  private static final List<Sinkhole> SINKHOLES =
      List.of(
          Sinkhole.parse("sinkhole.example.net"),
          Sinkhole.parse("192.0.2.10"),
          Sinkhole.parse("2001:db8::10"));

  private final RpzGenerator generator = new RpzGenerator();

  @Test
  void delta_everyGoldenPair_turnsFullIntoFullOfTheNext() {
    DeltaPairs.everyGoldenPair(
        RpzGenerator.ID,
        (from, to) ->
            assertDeltaApplies(from, new RuleInput(from.generation() + 1, to.countermeasures())));
  }

  @Test
  void delta_randomRunOfBlockAlertAndSinkholeDomains_turnsFullIntoFullOfTheNext() {
    Random random = new Random(9);
    RuleInput previous = randomInput(random, 1);
    for (int generation = 2; generation < 300; generation++) {
      RuleInput next = randomInput(random, generation);
      assertDeltaApplies(previous, next);
      previous = next;
    }
  }

  @Test
  void delta_sameOrLowerGeneration_isInvalidSinceTheSerialMustRise() {
    RuleInput input = new RuleInput(7, List.of(block(1, "evil.example")));
    GenerationResult.Invalid invalid =
        assertInstanceOf(GenerationResult.Invalid.class, generator.delta(input, input));
    assertEquals("rpz: the SOA serial must rise, but generation 7 follows 7", invalid.reason());
  }

  @Test
  void delta_oneNameMovesFromAlertToBlock_replacesBothItsRecords() {
    RuleInput from = new RuleInput(1, List.of(block(1, "evil.example"), alert(2, "watch.example")));
    RuleInput to =
        new RuleInput(
            2, List.of(block(1, "evil.example", "watch.example"), alert(2, "watch.example")));

    assertEquals(
        "zone rpz.bulwark.\n"
            + "update delete watch.example.rpz.bulwark. CNAME\n"
            + "update delete *.watch.example.rpz.bulwark. CNAME\n"
            + "update add watch.example.rpz.bulwark. 300 CNAME .\n"
            + "update add *.watch.example.rpz.bulwark. 300 CNAME .\n"
            + "update add rpz.bulwark. 300 SOA localhost. hostmaster.localhost. 2 3600 600 86400"
            + " 300\n"
            + "send\n",
        text(generator.delta(from, to)));
  }

  @Test
  void delta_sinkholeMovesFromHostToAddress_deletesTheCnameAndAddsTheAddress() {
    RuleInput from =
        new RuleInput(1, List.of(sinkhole(1, "sinkhole.example.net", "evil.example")));
    RuleInput to =
        new RuleInput(
            2,
            List.of(
                sinkhole(1, "sinkhole.example.net", "evil.example"),
                sinkhole(2, "192.0.2.10", "evil.example")));

    assertEquals(
        "zone rpz.bulwark.\n"
            + "update delete evil.example.rpz.bulwark. CNAME\n"
            + "update delete *.evil.example.rpz.bulwark. CNAME\n"
            + "update add evil.example.rpz.bulwark. 300 A 192.0.2.10\n"
            + "update add *.evil.example.rpz.bulwark. 300 A 192.0.2.10\n"
            + "update add rpz.bulwark. 300 SOA localhost. hostmaster.localhost. 2 3600 600 86400"
            + " 300\n"
            + "send\n",
        text(generator.delta(from, to)));
    assertDeltaApplies(to, new RuleInput(3, List.of(block(3, "evil.example"))));
  }

  private static CountermeasureTerms sinkhole(long id, String destination, String... names) {
    return new CountermeasureTerms(id, Action.SINKHOLE, domains(names), Sinkhole.parse(destination));
  }

  private void assertDeltaApplies(RuleInput from, RuleInput to) {
    TreeSet<String> records = records(text(generator.generate(from)));
    List<String> lines = text(generator.delta(from, to)).lines().toList();
    assertEquals("zone rpz.bulwark.", lines.get(0));
    assertEquals("send", lines.get(lines.size() - 1));
    Matcher soa = SOA.matcher(lines.get(lines.size() - 2));
    assertTrue(soa.matches(), lines.get(lines.size() - 2));
    assertEquals(to.generation(), Long.parseLong(soa.group(1)));
    for (String line : lines.subList(1, lines.size() - 2)) {
      Matcher delete = DELETE.matcher(line);
      Matcher add = ADD.matcher(line);
      if (delete.matches()) {
        String owner = delete.group(1) + " " + delete.group(2) + " ";
        assertTrue(
            records.removeIf(record -> record.startsWith(owner)), "nothing to delete: " + line);
      } else if (add.matches()) {
        assertTrue(
            records.stream().noneMatch(record -> record.startsWith(add.group(1) + " ")),
            "already held: " + line);
        records.add(add.group(1) + " " + add.group(2));
      } else {
        fail("not an update line: " + line);
      }
    }
    assertEquals(records(text(generator.generate(to))), records);
  }

  /** Returns the policy records of a zone as {@code owner target}, without comments. */
  private static TreeSet<String> records(String zone) {
    TreeSet<String> records = new TreeSet<>();
    for (String line : zone.lines().skip(4).toList()) {
      Matcher record = RECORD.matcher(line);
      assertTrue(record.matches(), line);
      records.add(record.group(1) + " " + record.group(2));
    }
    return records;
  }

  private static RuleInput randomInput(Random random, long generation) {
    List<CountermeasureTerms> cms = new ArrayList<>();
    for (long id = 1; id <= 4; id++) {
      List<Term> terms = new ArrayList<>();
      for (int i = random.nextInt(5); i > 0; i--) {
        terms.add(new DomainTerm("d" + random.nextInt(8) + ".example"));
      }
      int kind = random.nextInt(4);
      cms.add(
          kind == 3
              ? new CountermeasureTerms(id, Action.SINKHOLE, terms, SINKHOLES.get(random.nextInt(3)))
              : new CountermeasureTerms(id, kind == 0 ? Action.ALERT : Action.BLOCK, terms));
    }
    return new RuleInput(generation, cms);
  }

  private static CountermeasureTerms block(long id, String... names) {
    return new CountermeasureTerms(id, Action.BLOCK, domains(names));
  }

  private static CountermeasureTerms alert(long id, String... names) {
    return new CountermeasureTerms(id, Action.ALERT, domains(names));
  }

  private static List<Term> domains(String... names) {
    return java.util.Arrays.stream(names).<Term>map(DomainTerm::new).toList();
  }

  private static String text(GenerationResult result) {
    return assertInstanceOf(GenerationResult.Rules.class, result).text();
  }
}
