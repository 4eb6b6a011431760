package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.agent.testing.FakeApplier;
import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftCheckTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
  private static final String RULES = "table inet bulwark {\n}\n";
  private static final AppliedState APPLIED = new AppliedState(4, BundleCheck.sha256Hex(RULES));

  @TempDir Path dir;

  private final FakeApplier applier = new FakeApplier("nftables");
  private final List<ApplyReport> reports = new ArrayList<>();

  @Test
  void drift_isReportedOnce_thenAppliedAgainWhenBackInSync() throws Exception {
    DriftCheck check = check(DriftCheck.Policy.REPORT);
    applier.apply(RULES);
    applier.tamper("table inet bulwark {\n\tset extra {\n\t}\n}\n");

    check.run(APPLIED, reports::add, false);
    check.run(APPLIED, reports::add, false);

    assertEquals(List.of(ApplyReport.Phase.DRIFTED), phases());
    assertEquals("fake: live rules differ", reports.get(0).error());
    assertEquals(4, reports.get(0).generation());
    assertEquals(List.of(RULES), applier.applied(), "report-only does not touch the rules");

    applier.tamper(RULES);
    check.run(APPLIED, reports::add, false);

    assertEquals(List.of(ApplyReport.Phase.DRIFTED, ApplyReport.Phase.APPLIED), phases());
  }

  @Test
  void drift_isReportedAgainAfterAReconnect() throws Exception {
    DriftCheck check = check(DriftCheck.Policy.REPORT);
    applier.tamper("something else");

    check.run(APPLIED, reports::add, false);
    check.run(APPLIED, reports::add, true);

    assertEquals(List.of(ApplyReport.Phase.DRIFTED, ApplyReport.Phase.DRIFTED), phases());
  }

  @Test
  void inSyncAfterAReconnect_isReportedApplied_soAReplayedOldDriftIsSuperseded() throws Exception {
    DriftCheck check = check(DriftCheck.Policy.REPORT);
    applier.apply(RULES);

    check.run(APPLIED, reports::add, false);
    check.run(APPLIED, reports::add, true);

    assertEquals(List.of(ApplyReport.Phase.APPLIED), phases());
  }

  @Test
  void correctPolicy_reappliesTheAppliedRules_andReportsBoth() throws Exception {
    DriftCheck check = check(DriftCheck.Policy.CORRECT);
    applier.tamper("something else");

    check.run(APPLIED, reports::add, false);

    assertEquals(List.of(ApplyReport.Phase.DRIFTED, ApplyReport.Phase.APPLIED), phases());
    assertEquals("fake: live rules differ; corrected", reports.get(0).error());
    assertEquals(RULES, applier.live());
  }

  @Test
  void rulesFileOfAnotherGeneration_isNoReference_andNothingIsReported() throws Exception {
    DriftCheck check = check(DriftCheck.Policy.CORRECT);
    applier.tamper("something else");

    check.run(new AppliedState(5, BundleCheck.sha256Hex("other rules")), reports::add, false);
    check.run(AppliedState.NONE, reports::add, false);

    assertEquals(List.of(), reports);
  }

  @Test
  void rulesMadeByADelta_areJournaled_andReadBackAfterARestart() throws Exception {
    DriftCheck check = check(DriftCheck.Policy.REPORT);
    String next = "table inet bulwark {\n\tset v4 {\n\t}\n}\n";
    String nextDigest = BundleCheck.sha256Hex(next);

    check.remember(next, nextDigest, LineDelta.between(RULES, next), RULES, APPLIED.digest());

    assertEquals(RULES, Files.readString(dir.resolve("applied.rules")), "only the delta was written");
    assertTrue(Files.exists(dir.resolve("applied.rules.journal")));
    DriftCheck restarted = new DriftCheck(applier, dir.resolve("applied.rules"), DriftCheck.Policy.REPORT, CLOCK);
    assertEquals(Optional.of(next), restarted.appliedRules(new AppliedState(5, nextDigest)));
  }

  @Test
  void aDeltaFromRulesOtherThanTheOnesRemembered_isWrittenWhole() throws Exception {
    DriftCheck check = check(DriftCheck.Policy.REPORT);
    String next = "table inet bulwark {\n\tset v4 {\n\t}\n}\n";
    String copy = new String(RULES.toCharArray());

    check.remember(next, BundleCheck.sha256Hex(next), LineDelta.between(copy, next), copy, APPLIED.digest());

    assertEquals(next, Files.readString(dir.resolve("applied.rules")));
    assertFalse(Files.exists(dir.resolve("applied.rules.journal")));
  }

  @Test
  void lineStartsKeptWithTheRules_serveTheNextDelta_otherTextsGetTheirsFound() throws Exception {
    DriftCheck check = check(DriftCheck.Policy.REPORT);
    String next = "table inet bulwark {\n\tset v4 {\n\t}\n}\n";
    LineText lines = LineDelta.applyKeepingEdits(LineText.of(RULES), LineDelta.between(RULES, next)).lines();

    check.remember(lines.text(), BundleCheck.sha256Hex(next), null, null, null, lines);

    assertSame(lines, check.lines(lines.text()), "the very rules remembered: their kept starts");
    LineText found = check.lines(next);
    assertNotSame(lines, found, "an equal text that is another object is walked");
    assertEquals(lines.lineCount(), found.lineCount());
    String first = RULES;
    check.remember(first);
    assertSame(check.lines(first), check.lines(first), "found once for the rules remembered, then kept");
  }

  private DriftCheck check(DriftCheck.Policy policy) throws Exception {
    DriftCheck check = new DriftCheck(applier, dir.resolve("applied.rules"), policy, CLOCK);
    check.remember(RULES);
    return check;
  }

  private List<ApplyReport.Phase> phases() {
    return reports.stream().map(ApplyReport::phase).toList();
  }
}
