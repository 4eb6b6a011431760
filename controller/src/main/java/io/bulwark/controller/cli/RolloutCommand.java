package io.bulwark.controller.cli;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.proto.admin.v1.ComplianceReportRequest;
import io.bulwark.proto.admin.v1.ComplianceReportResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark rollout status ID}: one countermeasure's progress over its devices. */
@Command(name = "rollout", mixinStandardHelpOptions = true, description = "Rollout progress of countermeasures.",
    subcommands = RolloutCommand.Status.class)
final class RolloutCommand extends CommandGroup {

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Shows how many devices in scope have the countermeasure, and each device's state.")
  static final class Status implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "ID", description = "The countermeasure id.")
    long id;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
    Output.Format output;

    @Override
    public Integer call() {
      ComplianceReportResponse r;
      try (AdminClient client = dataDir.open()) {
        r = client.stub().complianceReport(ComplianceReportRequest.getDefaultInstance());
      }
      var summary = r.getCountermeasuresList().stream().filter(c -> c.getCountermeasureId() == id).findFirst()
          .orElseThrow(() -> new BulwarkException("no countermeasure " + id + " (or it was withdrawn)"));
      List<Map<String, Object>> rows = ReportRenderer.deviceRows(r).stream()
          .filter(row -> ((Long) row.get("countermeasure")) == id).collect(Collectors.toList());
      if (output == Output.Format.table) {
        String byState = summary.getDevicesByStateMap().entrySet().stream().filter(e -> !e.getKey().equals("compliant"))
            .map(e -> e.getValue() + " " + e.getKey()).sorted().collect(Collectors.joining(", "));
        System.out.printf("countermeasure %d (%s, %s, scope %s): %d of %d devices compliant%s%s%n", id,
            summary.getStatus(), summary.getSeverity(), summary.getScope(), summary.getDevicesCompliant(),
            summary.getDevicesInScope(), byState.isEmpty() ? "" : " (" + byState + ")",
            summary.getTimeToFullyAppliedMillis() < 0 ? ""
                : String.format(", fully applied %.1f s after it came into force",
                    summary.getTimeToFullyAppliedMillis() / 1000.0));
      }
      Output.print(System.out, output, rows, List.of("device", "owner", "state", "first_applied", "time_to_apply_s", "error"));
      return 0;
    }
  }
}
