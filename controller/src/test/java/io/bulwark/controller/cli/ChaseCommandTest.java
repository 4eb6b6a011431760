package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.proto.admin.v1.ComplianceReportResponse;
import io.bulwark.proto.admin.v1.CountermeasureCompliance;
import io.bulwark.proto.admin.v1.DeviceCompliance;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaseCommandTest {
  private static final long HOUR = 3_600_000;

  @Test
  void lagging_listsOnlyDevicesWithoutAnActiveCountermeasurePastTheDeadline_mostOverdueFirst() {
    long now = 100 * HOUR;
    var r = ComplianceReportResponse.newBuilder().setGeneratedAtMillis(now)
        .addCountermeasures(cm(1, "active", now - 5 * HOUR))
        .addCountermeasures(cm(2, "active", now - 9 * HOUR))
        .addCountermeasures(cm(3, "active", now - HOUR))
        .addCountermeasures(cm(4, "pending second approval", now - 9 * HOUR))
        .addDevices(dev("edge-1", 1, "failed", "Error: x"))
        .addDevices(dev("edge-2", 1, "compliant", ""))
        .addDevices(dev("edge-3", 2, "offline", ""))
        .addDevices(dev("edge-4", 3, "pending", ""))
        .addDevices(dev("edge-5", 4, "pending", ""))
        .build();
    var rows = ChaseCommand.lagging(r, Duration.ofHours(4));
    assertEquals(2, rows.size());
    assertEquals("edge-3", rows.get(0).get("device"));
    assertEquals("9h", rows.get(0).get("lagging_for"));
    assertEquals("edge-1", rows.get(1).get("device"));
    assertEquals("Error: x", rows.get(1).get("error"));
  }

  private static CountermeasureCompliance cm(long id, String status, long approvedAt) {
    return CountermeasureCompliance.newBuilder().setCountermeasureId(id).setStatus(status).setApprovedAtMillis(approvedAt).build();
  }

  private static DeviceCompliance dev(String name, long cm, String state, String error) {
    return DeviceCompliance.newBuilder().setDevice(name).setCountermeasureId(cm).setState(state).setError(error).build();
  }
}
