package io.bulwark.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.DeviceState;
import io.bulwark.controller.domain.UnknownDeviceException;
import io.bulwark.controller.testing.DatabaseContract;
import io.bulwark.controller.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device store's part of the behaviour every store must have, on both databases; {@link
 * StoreContract} adds the other stores.
 */
abstract class DeviceStoreContract extends DatabaseContract {
  static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");
  final MutableClock clock = new MutableClock(T0);
  JdbcDeviceStore devices;
  JdbcIndicatorStore indicators;
  JdbcCountermeasureStore countermeasures;
  JdbcTokenStore tokens;

  @BeforeEach
  void open() {
    devices = new JdbcDeviceStore(db.jdbi());
    indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    countermeasures = new JdbcCountermeasureStore(db.jdbi());
    tokens = new JdbcTokenStore(db.jdbi());
  }

  @Test
  void advanceDesired_risesByOneOnlyWhenTheDigestChanges() {
    devices.upsertEnrolled("host-a", "nftables", List.of("perimeter"), T0);
    assertEquals(List.of(Optional.of(new DeviceStore.Greeting(0, Optional.empty())), Optional.empty()),
        List.of(devices.greeting("host-a"), devices.greeting("nope")), "before any state; no such device");
    DesiredState first = devices.advanceDesired("host-a", "nftables", "rules 1", "d1", List.of()).orElseThrow();
    assertEquals(1, first.generation());
    assertEquals(Optional.empty(), devices.advanceDesired("host-a", "nftables", "rules 1", "d1", List.of()));
    DesiredState second = devices.advanceDesired("host-a", "nftables", "rules 2", "d2", List.of()).orElseThrow();
    assertEquals(2, second.generation());
    assertEquals("rules 2", devices.currentDesired("host-a").orElseThrow().rules());
    assertEquals(2, devices.find("host-a").orElseThrow().desiredGeneration());
  }

  @Test
  void evidence_whatTheAppliedGenerationCarries_andWhenEachCountermeasureWasFirstApplied() {
    devices.upsertEnrolled("host-a", "nftables", List.of(), T0);
    devices.advanceDesired("host-a", "nftables", "r1", "d1", List.of(7L));
    devices.advanceDesired("host-a", "nftables", "r2", "d2", List.of(7L, 8L));
    devices.recordReport("host-a", new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0.plusSeconds(5)));
    devices.recordReport("host-a", new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0.plusSeconds(50)));
    assertEquals(java.util.Map.of(new DeviceStore.DeviceGeneration("host-a", 1), java.util.Set.of(7L),
        new DeviceStore.DeviceGeneration("host-a", 2), java.util.Set.of(7L, 8L)), devices.carriedByCurrent());
    assertEquals(List.of(new DeviceStore.FirstApplied("host-a", 7, T0.plusSeconds(5))), devices.firstApplied());
    devices.recordReport("host-a", new ApplyReport(2, "d2", 2, ApplyReport.Outcome.APPLIED, "", T0.plusSeconds(90)));
    assertEquals(java.util.Map.of(new DeviceStore.DeviceGeneration("host-a", 2), java.util.Set.of(7L, 8L)),
        devices.carriedByCurrent(), "applied and desired are the same generation now; the first is left out");
    assertEquals(List.of(new DeviceStore.FirstApplied("host-a", 7, T0.plusSeconds(5)),
        new DeviceStore.FirstApplied("host-a", 8, T0.plusSeconds(90))), devices.firstApplied());
  }

  @Test
  void pruneHistory_forgetsOldGenerations_andEveryQueryAnswersAsBefore() {
    List<List<Long>> carried = List.of(List.of(7L), List.of(7L, 8L), List.of(8L), List.of(8L, 9L), List.of(9L), List.of(9L));
    for (String d : List.of("a", "b", "c")) {
      devices.upsertEnrolled(d, "nftables", List.of(), T0);
      for (int g = 1; g <= 6; g++) {
        devices.advanceDesired(d, "nftables", "r" + g, d.equals("c") ? "c" + g : "d" + g, carried.get(g - 1));
      }
    }
    // a is on 5 of 6, and applied generation 3 (carrying 8) before generation 2 (7 and 8), by its clock;
    // b is on 6; c applied nothing.
    List<Integer> seconds = List.of(10, 20, 1, 4, 5);
    for (int g = 1; g <= 5; g++) {
      devices.recordReport("a", new ApplyReport(g, "d" + g, g, ApplyReport.Outcome.APPLIED, "", T0.plusSeconds(seconds.get(g - 1))));
    }
    devices.recordReport("b", new ApplyReport(6, "d6", 6, ApplyReport.Outcome.APPLIED, "", T0));
    List<Object> before = answers();

    // a keeps generations 3 to 6, b 4 to 6, c all: rule sets d1 and d2 go; c still refers to every
    // countermeasure set.
    assertEquals(new DeviceStore.Pruned(2, 5, 2, 2, 0), devices.pruneHistory(2));
    assertEquals(before, answers(), "what the store answers");
    assertEquals(List.of("a:3", "a:4", "a:5", "a:6", "b:4", "b:5", "b:6", "c1", "c2", "c3", "c4", "c5", "c6",
        "c:1", "c:2", "c:3", "c:4", "c:5", "c:6", "d3", "d4", "d5", "d6"), db.jdbi().withHandle(h -> h.createQuery(
            "SELECT device || ':' || generation FROM desired_states UNION ALL SELECT digest FROM rule_sets ORDER BY 1")
        .mapTo(String.class).list()), "generations and rule sets kept");
    assertEquals(new DeviceStore.Pruned(0, 0, 0, 0, 0), devices.pruneHistory(2), "nothing more to prune");

    // A late report of a forgotten generation does not make a countermeasure first applied later.
    devices.recordReport("a", new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0.plusSeconds(100)));
    assertEquals(before.get(0), devices.firstApplied());
    devices.recordReport("a", new ApplyReport(6, "d6", 6, ApplyReport.Outcome.APPLIED, "", T0.plusSeconds(200)));
    devices.advanceDesired("a", "nftables", "r7", "d7", List.of(7L));
    devices.pruneHistory(1);
    assertEquals(List.of(new DeviceStore.FirstApplied("a", 7, T0.plusSeconds(10)), new DeviceStore.FirstApplied("a", 8, T0.plusSeconds(1)),
        new DeviceStore.FirstApplied("a", 9, T0.plusSeconds(4)), new DeviceStore.FirstApplied("b", 9, T0)),
        devices.firstApplied(), "folded twice: 8 first applied with generation 3, folded after 2");
    assertEquals(List.of("a"), devices.lacking(7).stream().map(d -> d.name()).toList(), "7 is desired again");
    assertEquals("r7", devices.currentDesired("a").orElseThrow().rules());
  }

  @Test
  void aDeviceThatNeverAppliedAGeneration_keepsTenTimesAsMany() {
    devices.upsertEnrolled("idle", "nftables", List.of(), T0);
    for (int g = 1; g <= 13; g++) {
      devices.advanceDesired("idle", "nftables", "r" + g, "d" + g, List.of());
    }
    assertEquals(new DeviceStore.Pruned(1, 2, 0, 2, 0), devices.pruneHistory(1), "generations 1 and 2, 11 kept");
    assertEquals(List.of(3L, 13L), db.jdbi().withHandle(h -> h.createQuery("SELECT MIN(generation), MAX(generation)"
        + " FROM desired_states").map((rs, ctx) -> List.of(rs.getLong(1), rs.getLong(2))).one()));
  }

  @Test
  void aRuleSetThatAGenerationUnderWayRefersTo_outlivesTheSweep() throws Exception {
    devices.upsertEnrolled("a", "nftables", List.of(), T0);
    devices.upsertEnrolled("late", "nftables", List.of(), T0);
    for (int g = 1; g <= 4; g++) {
      devices.advanceDesired("a", "nftables", "r" + g, "d" + g, List.of());
    }
    devices.recordReport("a", new ApplyReport(4, "d4", 4, ApplyReport.Outcome.APPLIED, "", T0));
    // A generation being stored for "late" found rule set d1 in place and refers to it, not committed yet.
    try (var storing = db.jdbi().open()) {
      storing.begin();
      History.holdSharedSets(storing);
      storing.execute("INSERT INTO desired_states (device, generation, target, digest) VALUES ('late', 1, 'nftables', 'd1')");
      var pruning = java.util.concurrent.CompletableFuture.supplyAsync(() -> devices.pruneHistory(1));
      Thread.sleep(300); // the sweep finds d1 unused, then waits for the lock
      storing.execute("UPDATE devices SET desired_generation = 1, desired_digest = 'd1' WHERE name = 'late'");
      storing.commit();
      assertEquals(new DeviceStore.Pruned(1, 2, 0, 1, 0), pruning.get(30, java.util.concurrent.TimeUnit.SECONDS), "d2 only");
    }
    assertEquals("r1", devices.currentDesired("late").orElseThrow().rules());
    assertEquals(List.of("d1", "d3", "d4"), db.jdbi().withHandle(h -> h.createQuery("SELECT digest FROM rule_sets ORDER BY 1")
        .mapTo(String.class).list()));
  }

  /** What the status queries, greetings and compliance reports read. */
  private List<Object> answers() {
    return List.of(devices.firstApplied(), devices.carriedByCurrent(), devices.lacking(7), devices.lacking(8),
        devices.lacking(9), devices.belowGeneration(6), devices.greeting("a"), devices.greeting("b"), devices.greeting("c"));
  }

  @Test
  void advanceDesiredForMany_storesOneRuleSetForAll_andSkipsThoseAlreadyThere() {
    for (String d : List.of("a", "b", "c")) {
      devices.upsertEnrolled(d, "nftables", List.of(), T0);
    }
    devices.advanceDesired("c", "nftables", "shared", "dx", List.of());
    var advanced = devices.advanceDesired(List.of(
        new DeviceStore.Advance("a", "nftables", "shared", "dx", List.of(3L)),
        new DeviceStore.Advance("b", "nftables", "shared", "dx", List.of(3L)),
        new DeviceStore.Advance("c", "nftables", "shared", "dx", List.of(3L)),
        new DeviceStore.Advance("nope", "nftables", "shared", "dx", List.of(3L))));
    assertEquals(List.of("a", "b"), advanced.stream().map(DesiredState::device).toList());
    assertEquals(1, advanced.get(0).generation());
    assertEquals("shared", devices.currentDesired("b").orElseThrow().rules());
    assertEquals(List.of(1, 1), db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM rule_sets"
        + " UNION ALL SELECT COUNT(*) FROM countermeasure_sets").mapTo(Integer.class).list()), "one of each for all");
  }

  @Test
  void recordReportsInABatch_storeReportsLinksAndSequencesTogether() {
    devices.upsertEnrolled("a", "nftables", List.of(), T0);
    devices.upsertEnrolled("b", "nftables", List.of(), T0);
    devices.advanceDesired("a", "nftables", "r1", "d1", List.of(5L));
    devices.advanceDesired("b", "nftables", "r1", "d1", List.of(5L));
    var applied = new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0);
    var before = devices.recordReports(List.of(
        new DeviceStore.Reported("a", null, 0, true, T0), new DeviceStore.Reported("a", applied, 4, null, T0),
        new DeviceStore.Reported("a", applied, 5, null, T0),
        new DeviceStore.Reported("b", new ApplyReport(0, "", 1, ApplyReport.Outcome.FAILED, "nft: no", T0), 2, null, T0)));
    assertEquals(DeviceState.COMPLIANT, devices.find("a").orElseThrow().state());
    assertEquals("nft: no", devices.find("b").orElseThrow().report().error());
    assertEquals(0, devices.find("b").orElseThrow().report().appliedGeneration());
    assertEquals(new DeviceStore.Greeting(5, devices.currentDesired("a")), devices.greeting("a").orElseThrow());
    assertEquals(2, devices.greeting("b").orElseThrow().lastSequence());
    assertEquals(List.of(new DeviceStore.FirstApplied("a", 5, T0)), devices.firstApplied());
    assertEquals(java.util.Set.of("a", "b"), before.keySet(), "the devices with a report in the batch");
    assertEquals(0, before.get("a").appliedGeneration());
    // Reported again later (a resend after a reconnect): the batch returns what was stored, and
    // the generation keeps the time it was first applied.
    var resent = new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0.plusSeconds(60));
    assertEquals(java.util.Map.of("a", applied), devices.recordReports(List.of(new DeviceStore.Reported("a", resent, 6, null, T0))));
    assertEquals(List.of(new DeviceStore.FirstApplied("a", 5, T0)), devices.firstApplied());
  }

  @Test
  void aLateReportOfAnOlderGeneration_keepsWhenThatGenerationWasFirstApplied() {
    devices.upsertEnrolled("host-a", "nftables", List.of(), T0);
    devices.advanceDesired("host-a", "nftables", "r1", "d1", List.of(7L));
    devices.advanceDesired("host-a", "nftables", "r2", "d2", List.of(7L, 8L));
    // The hello of a reconnected agent, stored before the report of generation 1 that its first
    // stream was still holding; each answer is when 7 and 8 were first applied.
    assertEquals(List.of(60L, 60L), reportApplied(2, 60, 0));
    assertEquals(List.of(30L, 60L), reportApplied(1, 30, 4));
    assertEquals(2, devices.find("host-a").orElseThrow().report().appliedGeneration(), "never moves back");
    // Resent once more, later: recorded once, at the first time; an earlier copy makes it earlier.
    assertEquals(List.of(30L, 60L), reportApplied(1, 70, 6));
    assertEquals(List.of(25L, 60L), reportApplied(1, 25, 7));
    // Reports naming a device without a row change nothing, however often they come.
    for (int i = 0; i < 2; i++) {
      assertEquals(java.util.Map.of(), devices.recordReports(List.of(new DeviceStore.Reported("ghost",
          new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0), 0, null, T0))));
    }
    int ghostRows = db.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM applied_generations WHERE device = 'ghost'").mapTo(Integer.class).one());
    assertEquals(0, ghostRows);
  }

  /**
   * Stores host-a's report that it applied {@code generation}, received {@code seconds} after T0
   * (sequence 0: its hello); returns when each countermeasure was first applied, in seconds after T0.
   */
  private List<Long> reportApplied(long generation, int seconds, long sequence) {
    Instant at = T0.plusSeconds(seconds);
    devices.recordReports(List.of(new DeviceStore.Reported("host-a", new ApplyReport(generation, "d" + generation,
        generation, ApplyReport.Outcome.APPLIED, "", at), sequence, sequence == 0 ? Boolean.TRUE : null, at)));
    return devices.firstApplied().stream().map(f -> f.at().getEpochSecond() - T0.getEpochSecond()).toList();
  }

  @Test
  void reportsResentAfterAHello_thatAreNoNewerThanIt_doNotReplaceItsState() {
    devices.upsertEnrolled("host-a", "nftables", List.of(), T0);
    devices.advanceDesired("host-a", "nftables", "r1", "d1", List.of());
    devices.advanceDesired("host-a", "nftables", "r2", "d2", List.of());
    var applying = new ApplyReport(1, "d1", 2, ApplyReport.Outcome.APPLYING, "", T0.plusSeconds(2));
    var applied = new ApplyReport(2, "d2", 2, ApplyReport.Outcome.APPLIED, "", T0.plusSeconds(1));
    // Its agent stopped after it recorded generation 2, before it made the report: the hello says
    // it applied 2, its last report was 10, and 10 (applying) comes after the hello, resent.
    devices.recordReports(List.of(DeviceStore.Reported.hello("host-a", applied, 10, T0.plusSeconds(1))));
    devices.recordReports(List.of(new DeviceStore.Reported("host-a", applying, 10, null, T0.plusSeconds(2))));
    var device = devices.find("host-a").orElseThrow();
    assertEquals(List.of(DeviceState.COMPLIANT, ApplyReport.Outcome.APPLIED, T0.plusSeconds(2)),
        List.of(device.state(), device.report().outcome(), device.lastSeen()), "seen, not taken for newer");
    // The same in one batch, a newer report after them; and one without a sequence (past a failed outbox).
    var failed = new ApplyReport(2, "d2", 3, ApplyReport.Outcome.FAILED, "nft: no", T0.plusSeconds(3));
    devices.recordReports(List.of(DeviceStore.Reported.hello("host-a", applied, 12, T0), new DeviceStore.Reported(
        "host-a", applying, 12, null, T0), new DeviceStore.Reported("host-a", failed, 13, null, T0)));
    assertEquals(failed, devices.find("host-a").orElseThrow().report());
    devices.recordReports(List.of(new DeviceStore.Reported("host-a", applying, 11, null, T0)));
    assertEquals(failed, devices.find("host-a").orElseThrow().report(), "11 is older than 13");
    devices.recordReports(List.of(new DeviceStore.Reported("host-a", applying, 0, null, T0.plusSeconds(4))));
    assertEquals(ApplyReport.Outcome.APPLYING, devices.find("host-a").orElseThrow().report().outcome());
    // Unnumbered, then a resent one in the same batch: the resent one is older than what is stored.
    var drifted = new ApplyReport(2, "d2", 2, ApplyReport.Outcome.DRIFTED, "element added by hand", T0);
    devices.recordReports(List.of(new DeviceStore.Reported("host-a", drifted, 0, null, T0),
        new DeviceStore.Reported("host-a", applying, 12, null, T0)));
    assertEquals(drifted, devices.find("host-a").orElseThrow().report());
    // An agent that does not say (0), or one enrolled afresh: reports replace its hello's state as they come.
    devices.recordReports(List.of(DeviceStore.Reported.hello("host-a", applied, 0, T0)));
    devices.recordReports(List.of(new DeviceStore.Reported("host-a", failed, 5, null, T0)));
    assertEquals(failed, devices.find("host-a").orElseThrow().report());
    new JdbcStatusSequences(db.jdbi()).reset("host-a");
    devices.recordReports(List.of(new DeviceStore.Reported("host-a", applied, 1, null, T0)));
    assertEquals(applied, devices.find("host-a").orElseThrow().report());
  }

  @Test
  void lagging_byGeneration_andByCountermeasure() {
    for (String d : List.of("a", "b", "c")) {
      devices.upsertEnrolled(d, "nftables", List.of(), T0);
      devices.advanceDesired(d, "nftables", "r1", "d1", List.of(1L));
    }
    devices.advanceDesired("a", "nftables", "r2", "d2", List.of(1L, 2L));
    devices.advanceDesired("b", "nftables", "r2", "d2", List.of(1L, 2L));
    devices.recordReport("a", new ApplyReport(2, "d2", 2, ApplyReport.Outcome.APPLIED, "", T0));
    devices.recordReport("b", new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0));
    // c applied nothing; b is on generation 1; a on 2.
    assertEquals(List.of("b", "c"), devices.belowGeneration(2).stream().map(d -> d.name()).toList());
    assertEquals(List.of("c"), devices.belowGeneration(1).stream().map(d -> d.name()).toList());
    // Countermeasure 2 should reach a and b (not c), and only a has it.
    assertEquals(List.of("b"), devices.lacking(2).stream().map(d -> d.name()).toList());
    assertEquals(List.of("c"), devices.lacking(1).stream().map(d -> d.name()).toList());
  }

  @Test
  void advanceDesired_unknownDevice_isRefused() {
    assertThrows(UnknownDeviceException.class, () -> devices.advanceDesired("nope", "nftables", "r", "d", List.of()));
  }

  @Test
  void recordReport_appliedGenerationNeverGoesBack() {
    devices.upsertEnrolled("host-a", "nftables", List.of(), T0);
    devices.advanceDesired("host-a", "nftables", "r1", "d1", List.of());
    devices.advanceDesired("host-a", "nftables", "r2", "d2", List.of());
    devices.markConnected("host-a", true, T0);
    devices.recordReport("host-a", new ApplyReport(2, "d2", 2, ApplyReport.Outcome.APPLIED, "", T0));
    assertEquals(DeviceState.COMPLIANT, devices.find("host-a").orElseThrow().state());
    devices.recordReport("host-a", new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0));
    assertEquals(2, devices.find("host-a").orElseThrow().report().appliedGeneration());
    assertEquals("d2", devices.find("host-a").orElseThrow().report().appliedDigest());
  }

  @Test
  void recordReport_failureKeepsTheDevicesErrorAndTheAppliedGeneration() {
    devices.upsertEnrolled("host-a", "nftables", List.of(), T0);
    devices.advanceDesired("host-a", "nftables", "r1", "d1", List.of());
    devices.markConnected("host-a", true, T0);
    devices.recordReport("host-a", new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0));
    devices.advanceDesired("host-a", "nftables", "r2", "d2", List.of());
    devices.recordReport("host-a", new ApplyReport(1, "d1", 2, ApplyReport.Outcome.FAILED, "Error: syntax error", T0));
    var d = devices.find("host-a").orElseThrow();
    assertEquals(DeviceState.FAILED, d.state());
    assertEquals("Error: syntax error", d.report().error());
    assertEquals(1, d.report().appliedGeneration());
  }

  @Test
  void markAllDisconnected_makesConnectedDevicesOffline() {
    devices.upsertEnrolled("host-a", "nftables", List.of(), T0);
    devices.markConnected("host-a", true, T0);
    devices.markAllDisconnected();
    assertEquals(DeviceState.OFFLINE, devices.find("host-a").orElseThrow().state());
  }
}
