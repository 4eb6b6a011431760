package io.bulwark.controller.approve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.GuardRailException;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.spi.GeneratorRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sinkhole approvals: the destination is checked, stored, previewed and compiled into each device's rules. */
class SinkholeApprovalTest {
  private static final String DOMAIN = "indicator--00000000-0000-4000-8000-0000000000a1";
  private static final String MIXED = "indicator--00000000-0000-4000-8000-0000000000a2";
  private static final String ADDRESS = "indicator--00000000-0000-4000-8000-0000000000a3";
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private Database db;
  private JdbcDeviceStore devices;
  private JdbcCountermeasureStore countermeasures;
  private Approvals approvals;
  private ImpactPreview preview;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    devices = new JdbcDeviceStore(db.jdbi());
    var indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    countermeasures = new JdbcCountermeasureStore(db.jdbi());
    var terms = new IndicatorTerms();
    var compiler = new RuleSetCompiler(countermeasures, indicators, terms, GeneratorRegistry.load(), clock);
    var guardRails = GuardRails.withDefaults(List.of());
    approvals = new Approvals(indicators, countermeasures, devices, terms,
        new DesiredStates(devices, compiler, new AgentSessions()), guardRails, ApprovalPolicy.SINGLE, clock);
    preview = new ImpactPreview(indicators, devices, terms, GeneratorRegistry.load(), guardRails,
        ApprovalPolicy.SINGLE, clock);
    devices.upsertEnrolled("dns-1", "rpz", List.of("dns"), clock.instant());
    devices.upsertEnrolled("fw-1", "nftables", List.of("perimeter"), clock.instant());
    devices.upsertEnrolled("ids-1", "suricata", List.of("perimeter"), clock.instant());
    offer(indicators, DOMAIN, "[domain-name:value = 'evil.example']");
    offer(indicators, MIXED, "[domain-name:value = 'c2.example'] OR [ipv4-addr:value = '203.0.113.5']");
    offer(indicators, ADDRESS, "[ipv4-addr:value = '203.0.113.6']");
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void offer(JdbcIndicatorStore indicators, String id, String pattern) {
    indicators.offer(new StoredIndicator(id, clock.instant(), id, pattern, "stix", clock.instant(), null, false, "t", "{}"));
  }

  private Approvals.Approved sinkhole(String destination, String guardOverride, String... ids) {
    return approvals.approve(List.of(ids), Countermeasure.Action.SINKHOLE, Scope.parse("all"), null, Duration.ZERO,
        "", guardOverride, "alice", Countermeasure.Severity.HIGH, null, destination);
  }

  private String rules(String device) {
    return devices.currentDesired(device).orElseThrow().rules();
  }

  @Test
  void approve_withSinkhole_storesTheCanonicalDestinationAndTheDnsDeviceAnswersWithIt() {
    Approvals.Approved approved = sinkhole("Sinkhole.Example.NET.", "", DOMAIN);

    Countermeasure stored = countermeasures.find(approved.countermeasure().id()).orElseThrow();
    assertEquals(Countermeasure.Action.SINKHOLE, stored.action());
    assertEquals("sinkhole.example.net", stored.sinkhole());
    assertTrue(rules("dns-1").contains("\nevil.example CNAME sinkhole.example.net. ; cm1\n"), rules("dns-1"));
    assertTrue(rules("dns-1").contains("\n*.evil.example CNAME sinkhole.example.net. ; cm1\n"), rules("dns-1"));
    assertTrue(!rules("fw-1").contains("evil"), "a packet filter does not sinkhole: " + rules("fw-1"));
    assertTrue(rules("ids-1").contains("alert dns") && rules("ids-1").contains("evil.example"), rules("ids-1"));
  }

  @Test
  void approve_twoSinkholesForOneName_theOneApprovedLastWinsOnTheDevice() {
    sinkhole("192.0.2.10", "", DOMAIN);
    sinkhole("2001:db8::10", "", DOMAIN, MIXED);

    String zone = rules("dns-1");
    assertTrue(zone.contains("\nevil.example AAAA 2001:db8::10 ; cm2\n"), zone);
    assertTrue(zone.contains("\nc2.example AAAA 2001:db8::10 ; cm2\n"), zone);
    assertTrue(!zone.contains("192.0.2.10"), zone);

    approvals.withdraw(2, "bob");
    assertTrue(rules("dns-1").contains("\nevil.example A 192.0.2.10 ; cm1\n"), "the older one again: " + rules("dns-1"));
  }

  @Test
  void approve_sinkholeMissingOrBad_isRefusedNamingWhatIsWrong() {
    assertEquals("action sinkhole needs a sinkhole: a host name (sinkhole.example.net) or an IP address (192.0.2.10)",
        assertThrows(InvalidRequestException.class, () -> sinkhole("", "", DOMAIN)).getMessage());
    assertEquals("sinkhole '192.0.2[.]0/24': the sinkhole must be one address, not the prefix 192.0.2.0/24",
        assertThrows(InvalidRequestException.class, () -> sinkhole("192.0.2.0/24", "", DOMAIN)).getMessage());
    assertTrue(assertThrows(InvalidRequestException.class, () -> sinkhole("sink hole.example", "", DOMAIN))
        .getMessage().startsWith("sinkhole 'sink hole[.]example': the sinkhole is neither an IP address nor a host name"));
    assertTrue(assertThrows(InvalidRequestException.class, () -> sinkhole("999.1.1.1", "", DOMAIN))
        .getMessage().startsWith("sinkhole '999.1.1[.]1': the sinkhole is not a valid IP address"));
    assertEquals("the sinkhole sink.evil[.]example is under evil[.]example, a name this countermeasure sinkholes:"
            + " its answers would point back into the policy",
        assertThrows(InvalidRequestException.class, () -> sinkhole("sink.evil.example", "", DOMAIN)).getMessage());
    assertEquals("a sinkhole is given only with action sinkhole, not with action block",
        assertThrows(InvalidRequestException.class, () -> approvals.approve(List.of(DOMAIN),
            Countermeasure.Action.BLOCK, Scope.parse("all"), null, Duration.ZERO, "", "", "alice",
            Countermeasure.Severity.HIGH, null, "192.0.2.10")).getMessage());
    assertTrue(assertThrows(InvalidRequestException.class, () -> sinkhole("192.0.2.10", "", ADDRESS))
        .getMessage().startsWith("nothing to sinkhole: the indicators have no domain names"));
    assertTrue(countermeasures.list().isEmpty(), "nothing was stored");
  }

  @Test
  void approve_sinkholeAtAProtectedAddress_needsAGuardOverride() {
    GuardRailException refused = assertThrows(GuardRailException.class, () -> sinkhole("127.0.0.1", "", DOMAIN));
    assertTrue(refused.getMessage().contains("sinkhole 127.0.0.1 overlaps 127.0.0.0/8 (loopback)"), refused.getMessage());

    Countermeasure c = sinkhole("10.9.9.9", "internal sinkhole host", DOMAIN).countermeasure();
    assertEquals("10.9.9.9", c.sinkhole());
    assertTrue(c.reason().contains("guard override: internal sinkhole host"), c.reason());
  }

  @Test
  void approve_blockWithoutSinkhole_storesNone() {
    Countermeasure c = approvals.approve(List.of(DOMAIN), Countermeasure.Action.BLOCK, Scope.parse("all"), null,
        Duration.ZERO, "", "", "alice", Countermeasure.Severity.HIGH, null, "").countermeasure();
    assertNull(countermeasures.find(c.id()).orElseThrow().sinkhole());
    assertTrue(rules("dns-1").contains("\nevil.example CNAME . ; cm1\n"), rules("dns-1"));
  }

  @Test
  void preview_sinkhole_showsTheDestinationAndEachTargetsDecision() {
    var impact = preview.preview(List.of(MIXED), Countermeasure.Action.SINKHOLE, Scope.parse("all"), null,
        "Bücher.example");

    assertEquals("xn--bcher-kva.example", impact.sinkhole());
    Map<String, ImpactPreview.TargetImpact> targets = impact.targets().stream()
        .collect(Collectors.toMap(ImpactPreview.TargetImpact::target, t -> t));
    var rpz = targets.get("rpz").coverage().get(0);
    assertEquals("partial", rpz.coverage());
    assertTrue(rpz.reason().contains("203.0.113.5: rpz does not enforce sinkhole for ip-prefix terms"), rpz.reason());
    assertEquals(1, targets.get("rpz").termsEnforced());
    var nft = targets.get("nftables").coverage().get(0);
    assertEquals("unsupported", nft.coverage());
    assertTrue(nft.reason().contains("c2.example: nftables does not enforce sinkhole: sinkhole is a DNS action"),
        nft.reason());
    var suricata = targets.get("suricata").coverage().get(0);
    assertEquals("partial", suricata.coverage());
    assertTrue(suricata.reason().contains("detected, not redirected"), suricata.reason());
    assertEquals(1, targets.get("suricata").termsEnforced(), "the domain is detected, the address is not");
    assertTrue(countermeasures.list().isEmpty(), "a preview approves nothing");
    assertThrows(InvalidRequestException.class, () -> preview.preview(List.of(MIXED),
        Countermeasure.Action.SINKHOLE, Scope.parse("all"), null, ""));
  }
}
