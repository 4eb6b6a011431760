package io.bulwark.controller.cli;

import io.bulwark.proto.admin.v1.ChaseRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark chase}: the devices that still lack a countermeasure past its deadline. */
@Command(name = "chase", mixinStandardHelpOptions = true,
    description = {"Lists the devices that still lack an approved countermeasure longer than the deadline for",
        "its severity (the controller's --sla, unless given here), the most overdue first, with their state",
        "and last error. Exit 1 when any device lags."})
final class ChaseCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = "--after", paramLabel = "DURATION",
      description = "One deadline after approval for every severity, instead of the controller's SLAs.")
  String after;

  @Option(names = "--sla", paramLabel = "SEVERITY=DURATION", split = ",",
      description = "Deadlines for some severities, for example critical=2h,high=12h.")
  List<String> sla = new ArrayList<>();

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
  Output.Format output;

  @Override
  public Integer call() {
    var request = ChaseRequest.newBuilder();
    if (after != null) {
      Duration deadline = Durations.parse("--after", after);
      if (deadline.isZero()) {
        throw new io.bulwark.controller.domain.BulwarkException.Usage("--after must be more than 0");
      }
      request.setAfterSeconds(deadline.toSeconds());
    }
    Durations.perSeverity("--sla", sla).forEach((k, v) -> request.putSlaSeconds(k, v.toSeconds()));
    List<Map<String, Object>> rows = new ArrayList<>();
    try (AdminClient client = dataDir.open()) {
      for (var l : client.stub().chase(request.build()).getDevicesList()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("device", l.getDevice());
        row.put("countermeasure", l.getCountermeasureId());
        row.put("owner", l.getOwner());
        row.put("severity", l.getSeverity());
        row.put("state", l.getState());
        row.put("lagging_for", shortForm(l.getLaggingSeconds()));
        row.put("deadline", shortForm(l.getDeadlineSeconds()));
        row.put("lagging_seconds", l.getLaggingSeconds());
        row.put("deadline_seconds", l.getDeadlineSeconds());
        row.put("error", l.getError());
        rows.add(row);
      }
    }
    Output.print(System.out, output, rows,
        List.of("device", "owner", "countermeasure", "severity", "state", "lagging_for", "deadline", "error"));
    return rows.isEmpty() ? 0 : 1;
  }

  private static String shortForm(long seconds) {
    String text = Duration.ofSeconds(seconds).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString().substring(2)
        .toLowerCase(Locale.ROOT);
    return text.isEmpty() ? "0m" : text;
  }
}
