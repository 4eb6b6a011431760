package io.bulwark.rules.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.term.DomainTerm;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkholeTest {

  @Test
  void parse_hostNames_areCanonical() {
    assertEquals("sinkhole.example.net", Sinkhole.parse("Sinkhole.Example.NET.").text());
    Sinkhole.Name idna = assertInstanceOf(Sinkhole.Name.class, Sinkhole.parse("bücher.example"));
    assertEquals(new DomainTerm("xn--bcher-kva.example"), idna.domain());
  }

  @Test
  void parse_addresses_areCanonicalAndKnowTheirFamily() {
    Sinkhole.Address v4 = assertInstanceOf(Sinkhole.Address.class, Sinkhole.parse("192.0.2.10"));
    Sinkhole.Address v6 = assertInstanceOf(Sinkhole.Address.class, Sinkhole.parse("2001:DB8:0::10"));

    assertEquals("192.0.2.10", v4.text());
    assertEquals("2001:db8::10", v6.text());
    assertTrue(v6.isV6() && !v4.isV6());
  }

  @Test
  void parse_badDestinations_sayWhatIsWrong() {
    assertEquals(
        "the sinkhole must be one address, not the prefix 192.0.2.0/24",
        assertThrows(IllegalArgumentException.class, () -> Sinkhole.parse("192.0.2.0/24"))
            .getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Sinkhole.parse("192.0.2.300"))
            .getMessage()
            .startsWith("the sinkhole is not a valid IP address: "));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Sinkhole.parse("bad_name.example"))
            .getMessage()
            .startsWith("the sinkhole is neither an IP address nor a host name: "));
    assertThrows(IllegalArgumentException.class, () -> Sinkhole.parse("localhost"));
    assertThrows(IllegalArgumentException.class, () -> Sinkhole.parse(" "));
  }

  @Test
  void countermeasureTerms_sinkholeGoesWithTheSinkholeActionOnly() {
    Sinkhole destination = Sinkhole.parse("192.0.2.10");
    assertEquals(
        "sinkhole countermeasure 4 has no sinkhole",
        assertThrows(
                IllegalArgumentException.class,
                () -> new CountermeasureTerms(4, Action.SINKHOLE, List.of()))
            .getMessage());
    assertEquals(
        "BLOCK countermeasure 5 cannot have a sinkhole",
        assertThrows(
                IllegalArgumentException.class,
                () -> new CountermeasureTerms(5, Action.BLOCK, List.of(), destination))
            .getMessage());
    CountermeasureTerms cm = new CountermeasureTerms(6, Action.SINKHOLE, List.of(), destination);
    assertEquals(destination, cm.withTerms(List.of(new DomainTerm("evil.example"))).sinkhole());
  }

  @Test
  void ruleChange_newDestination_withdrawsAndAddsTheCountermeasure() {
    List<io.bulwark.rules.term.Term> terms = List.of(new DomainTerm("evil.example"));
    RuleInput from =
        new RuleInput(
            1,
            List.of(new CountermeasureTerms(3, Action.SINKHOLE, terms, Sinkhole.parse("192.0.2.10"))));
    CountermeasureTerms moved =
        new CountermeasureTerms(3, Action.SINKHOLE, terms, Sinkhole.parse("192.0.2.11"));
    RuleInput to = new RuleInput(2, List.of(moved));

    RuleChange change = RuleChange.between(from, to);

    assertEquals(List.of(3L), change.withdrawn());
    assertEquals(List.of(moved), change.added());
    assertEquals(to.countermeasures(), change.applyTo(from).countermeasures());
  }
}
