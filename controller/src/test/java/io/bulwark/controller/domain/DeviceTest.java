package io.bulwark.controller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTest {
  private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");

  private static Device device(long desired, String digest, ApplyReport report, boolean connected, Instant lastSeen) {
    return new Device("host-a", "nftables", List.of(), T, desired, digest, report, connected, lastSeen);
  }

  @Test
  void state_appliedEqualsDesired_isCompliant() {
    var d = device(2, "d2", new ApplyReport(2, "d2", 2, ApplyReport.Outcome.APPLIED, "", T), true, T);
    assertEquals(DeviceState.COMPLIANT, d.state());
  }

  @Test
  void state_sameGenerationOtherDigest_isPending() {
    var d = device(2, "d2", new ApplyReport(2, "other", 2, ApplyReport.Outcome.APPLIED, "", T), true, T);
    assertEquals(DeviceState.PENDING, d.state());
  }

  @Test
  void state_failureOfTheDesiredGeneration_isFailed_butAnOlderFailureIsPending() {
    var failed = device(3, "d3", new ApplyReport(2, "d2", 3, ApplyReport.Outcome.FAILED, "Error", T), true, T);
    assertEquals(DeviceState.FAILED, failed.state());
    var older = device(4, "d4", new ApplyReport(2, "d2", 3, ApplyReport.Outcome.FAILED, "Error", T), true, T);
    assertEquals(DeviceState.PENDING, older.state());
  }

  @Test
  void state_driftFromTheAppliedGeneration_isDrifted_evenWhenOtherwiseCompliant() {
    var d = device(2, "d2", new ApplyReport(2, "d2", 2, ApplyReport.Outcome.DRIFTED, "unexpected element", T), true, T);
    assertEquals(DeviceState.DRIFTED, d.state());
    var offline = device(2, "d2", new ApplyReport(2, "d2", 2, ApplyReport.Outcome.DRIFTED, "x", T), false, T);
    assertEquals(DeviceState.OFFLINE, offline.state());
  }

  @Test
  void state_applyingTheDesiredGeneration_isApplying() {
    var d = device(3, "d3", new ApplyReport(2, "d2", 3, ApplyReport.Outcome.APPLYING, "", T), true, T);
    assertEquals(DeviceState.APPLYING, d.state());
  }

  @Test
  void state_disconnected_isOfflineOnceSeen_elseEnrolled() {
    var report = new ApplyReport(2, "d2", 2, ApplyReport.Outcome.APPLIED, "", T);
    assertEquals(DeviceState.OFFLINE, device(2, "d2", report, false, T).state());
    assertEquals(DeviceState.ENROLLED, device(0, "", ApplyReport.NONE, false, null).state());
  }

  @Test
  void state_nothingDesiredYet_isNotCompliant() {
    assertEquals(DeviceState.PENDING, device(0, "", ApplyReport.NONE, true, T).state());
  }

  @Test
  void scope_parsesAllAndTags_andNamesWhatIsWrong() {
    assertEquals(new Scope.All(), Scope.parse("all"));
    assertEquals(new Scope.Tag("perimeter"), Scope.parse("tag:perimeter"));
    var e = assertThrows(InvalidRequestException.class, () -> Scope.parse("tag:a b"));
    assertEquals(true, e.getMessage().contains("'tag:a b'"));
    assertThrows(InvalidRequestException.class, () -> Scope.parse("everything"));
    assertEquals(true, Scope.parse("tag:perimeter").covers("fw-1", List.of("dmz", "perimeter")));
    assertEquals(false, Scope.parse("tag:perimeter").covers("fw-1", List.of("dmz")));
  }

  @Test
  void scope_namedDevicesAndLists_roundTripAndCoverAnyPart() {
    Scope s = Scope.parse("tag:perimeter, device:core-9,tag:perimeter");
    assertEquals("tag:perimeter,device:core-9", s.text(), "repeated parts count once");
    assertEquals(s, Scope.parse(s.text()));
    assertEquals(true, s.covers("core-9", List.of()));
    assertEquals(true, s.covers("fw-1", List.of("perimeter")));
    assertEquals(false, s.covers("core-1", List.of("core")));
    assertEquals(new Scope.Named("web-1"), Scope.parse("device:web-1"));
    assertEquals(new Scope.All(), Scope.parse("device:web-1,all"), "a list with all is all");
    var e = assertThrows(InvalidRequestException.class, () -> Scope.parse("tag:a,device:"));
    assertEquals(true, e.getMessage().contains("at 'device:'"), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> Scope.parse("tag:a,"));
    assertThrows(InvalidRequestException.class, () -> Scope.parse("device:x,".repeat(600)));
  }
}
