package io.bulwark.controller.cli;

import io.bulwark.proto.admin.v1.ComplianceReportRequest;
import io.bulwark.proto.admin.v1.ComplianceReportResponse;
import io.bulwark.proto.admin.v1.CountermeasureCompliance;
import io.bulwark.proto.admin.v1.DeviceCompliance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark chase}: the devices that still lack a countermeasure past the deadline. */
@Command(name = "chase", mixinStandardHelpOptions = true,
    description = {"Lists the devices that still lack an approved countermeasure longer than the deadline,",
        "the most overdue first, with their state and last error. Exit 1 when any device lags."})
final class ChaseCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = "--after", defaultValue = "4h", paramLabel = "DURATION",
      description = "How long after approval a device counts as lagging (default: ${DEFAULT-VALUE}).")
  String after;

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
  Output.Format output;

  @Override
  public Integer call() {
    Duration deadline = Durations.parse("--after", after);
    ComplianceReportResponse r;
    try (AdminClient client = dataDir.open()) {
      r = client.stub().complianceReport(ComplianceReportRequest.getDefaultInstance());
    }
    List<Map<String, Object>> rows = lagging(r, deadline);
    Output.print(System.out, output, rows, List.of("device", "countermeasure", "state", "lagging_for", "error"));
    return rows.isEmpty() ? 0 : 1;
  }

  /** The rows of devices not compliant with an active countermeasure approved longer ago than {@code deadline}. */
  static List<Map<String, Object>> lagging(ComplianceReportResponse r, Duration deadline) {
    Map<Long, CountermeasureCompliance> byId = r.getCountermeasuresList().stream()
        .collect(Collectors.toMap(CountermeasureCompliance::getCountermeasureId, c -> c));
    List<DeviceCompliance> late = new ArrayList<>();
    for (DeviceCompliance d : r.getDevicesList()) {
      CountermeasureCompliance c = byId.get(d.getCountermeasureId());
      if (c != null && c.getStatus().equals("active") && !d.getState().equals("compliant")
          && r.getGeneratedAtMillis() - c.getApprovedAtMillis() > deadline.toMillis()) {
        late.add(d);
      }
    }
    late.sort((a, b) -> Long.compare(byId.get(a.getCountermeasureId()).getApprovedAtMillis(),
        byId.get(b.getCountermeasureId()).getApprovedAtMillis()));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DeviceCompliance d : late) {
      Map<String, Object> row = new LinkedHashMap<>();
      long lagMillis = r.getGeneratedAtMillis() - byId.get(d.getCountermeasureId()).getApprovedAtMillis();
      row.put("device", d.getDevice());
      row.put("countermeasure", d.getCountermeasureId());
      row.put("state", d.getState());
      row.put("lagging_for", Duration.ofMillis(lagMillis).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString()
          .substring(2).toLowerCase(java.util.Locale.ROOT));
      row.put("lagging_seconds", lagMillis / 1000);
      row.put("error", d.getError());
      rows.add(row);
    }
    return rows;
  }
}
