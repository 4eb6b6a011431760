package io.bulwark.controller.approve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.domain.UnknownIndicatorException;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.spi.GeneratorRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The impact shown before an approval: devices and terms per target, coverage, guard rails, four-eyes. */
class ImpactPreviewTest {
  private static final String IP = "indicator--00000000-0000-4000-8000-0000000000f1";
  private static final String DOMAIN = "indicator--00000000-0000-4000-8000-0000000000f2";
  private static final String PRIVATE = "indicator--00000000-0000-4000-8000-0000000000f3";
  private static final String REVOKED = "indicator--00000000-0000-4000-8000-0000000000f4";
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private Database db;
  private JdbcCountermeasureStore countermeasures;
  private ImpactPreview preview;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    var devices = new JdbcDeviceStore(db.jdbi());
    var indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    countermeasures = new JdbcCountermeasureStore(db.jdbi());
    devices.upsertEnrolled("fw-1", "nftables", List.of("perimeter", "lab"), clock.instant());
    devices.upsertEnrolled("fw-2", "nftables", List.of("perimeter"), clock.instant());
    devices.upsertEnrolled("win-1", "windows-firewall", List.of("perimeter"), clock.instant());
    devices.upsertEnrolled("core-1", "nftables", List.of("core"), clock.instant());
    offer(indicators, IP, "[ipv4-addr:value = '203.0.113.5']", false);
    offer(indicators, DOMAIN, "[domain-name:value = 'evil.example']", false);
    offer(indicators, PRIVATE, "[ipv4-addr:value = '10.1.2.3']", false);
    offer(indicators, REVOKED, "[ipv4-addr:value = '203.0.113.99']", true);
    preview = new ImpactPreview(indicators, devices, new IndicatorTerms(), GeneratorRegistry.load(),
        GuardRails.withDefaults(List.of()), new ApprovalPolicy(false, 2), clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void offer(JdbcIndicatorStore indicators, String id, String pattern, boolean revoked) {
    indicators.offer(new StoredIndicator(id, clock.instant(), id, pattern, "stix", clock.instant(), null, revoked, "t", "{}"));
  }

  @Test
  void preview_countsDevicesAndTermsPerTarget_showsCoverageCollisionsAndFourEyes_andApprovesNothing() {
    var impact = preview.preview(List.of(IP, DOMAIN, PRIVATE, REVOKED), Countermeasure.Action.BLOCK,
        Scope.parse("tag:perimeter"), Scope.parse("tag:lab"));
    assertEquals(3, impact.devicesInScope(), "core-1 is out of scope");
    assertEquals(1, impact.canaryDevices());
    assertEquals(3, impact.terms(), "the revoked indicator adds nothing");
    assertEquals(List.of(REVOKED), impact.unusable());
    assertEquals(1, impact.guardCollisions().size());
    assertTrue(impact.guardCollisions().get(0).startsWith(PRIVATE + ": ") && impact.guardCollisions().get(0).contains("10.1.2.3"),
        impact.guardCollisions().toString());
    assertTrue(impact.needsSecondApprover(), "3 devices is over the policy's 2");

    Map<String, ImpactPreview.TargetImpact> targets = impact.targets().stream()
        .collect(Collectors.toMap(ImpactPreview.TargetImpact::target, t -> t));
    assertEquals(List.of("nftables", "windows-firewall"), impact.targets().stream().map(ImpactPreview.TargetImpact::target).toList());
    var nft = targets.get("nftables");
    assertEquals(2, nft.devices());
    assertEquals(1, nft.canaryDevices());
    assertEquals(2, nft.termsEnforced(), "both addresses");
    assertEquals(1, nft.termsLeftOut(), "nftables cannot match a domain name");
    assertEquals("", nft.problem());
    Map<String, String> coverage = nft.coverage().stream()
        .collect(Collectors.toMap(ImpactPreview.IndicatorCoverage::indicatorId, ImpactPreview.IndicatorCoverage::coverage));
    assertEquals(Map.of(IP, "enforced", DOMAIN, "unsupported", PRIVATE, "enforced"), coverage);
    assertEquals(1, targets.get("windows-firewall").devices());
    assertEquals(List.of(), countermeasures.list(), "a preview approves nothing");
  }

  @Test
  void preview_dependsOnTheAction_andNamesUnknownIndicators() {
    var alert = preview.preview(List.of(IP), Countermeasure.Action.ALERT, Scope.parse("all"), null);
    var win = alert.targets().stream().filter(t -> t.target().equals("windows-firewall")).findFirst().orElseThrow();
    var nft = alert.targets().stream().filter(t -> t.target().equals("nftables")).findFirst().orElseThrow();
    assertEquals(0, win.termsEnforced(), "Windows Firewall cannot log-only");
    assertEquals(1, nft.termsEnforced(), "nftables logs and counts");
    assertEquals(4, alert.devicesInScope());
    var e = assertThrows(UnknownIndicatorException.class,
        () -> preview.preview(List.of(IP, "indicator--nope"), Countermeasure.Action.BLOCK, Scope.parse("all"), null));
    assertTrue(e.getMessage().contains("indicator--nope"), e.getMessage());
  }
}
