package io.bulwark.controller.cli;

import io.bulwark.proto.admin.v1.ChaseRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
    List<Map<String, Object>> rows = new ArrayList<>();
    try (AdminClient client = dataDir.open()) {
      for (var l : client.stub().chase(ChaseRequest.newBuilder().setAfterSeconds(deadline.toSeconds()).build()).getDevicesList()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("device", l.getDevice());
        row.put("countermeasure", l.getCountermeasureId());
        row.put("state", l.getState());
        row.put("lagging_for", Duration.ofSeconds(l.getLaggingSeconds()).truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
            .toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        row.put("lagging_seconds", l.getLaggingSeconds());
        row.put("error", l.getError());
        rows.add(row);
      }
    }
    Output.print(System.out, output, rows, List.of("device", "countermeasure", "state", "lagging_for", "error"));
    return rows.isEmpty() ? 0 : 1;
  }
}
