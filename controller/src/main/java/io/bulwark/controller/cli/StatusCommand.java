package io.bulwark.controller.cli;

import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark status}: one row per device. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows each device's state.",
        "compliant, pending, applying, failed (with the device's error), offline or enrolled."})
final class StatusCommand implements Callable<Integer> {
  static final List<String> COLUMNS =
      List.of("device", "state", "desired_generation", "applied_generation", "last_seen", "error");

  @Mixin DataDirOption dataDir;

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Output.Format output;

  @Option(names = "--below-generation", paramLabel = "G",
      description = "Only the devices that have not applied generation G yet.")
  long belowGeneration;

  @Option(names = "--lacking", paramLabel = "ID",
      description = "Only the devices countermeasure ID should reach that have not applied it yet.")
  long lacking;

  @Override
  public Integer call() {
    if (belowGeneration < 0 || lacking < 0) {
      throw new io.bulwark.controller.domain.BulwarkException.Usage("--below-generation and --lacking take positive numbers");
    }
    var request = ListDeviceStatusRequest.newBuilder().setBelowGeneration(belowGeneration).setLackingCountermeasure(lacking);
    try (AdminClient client = dataDir.open()) {
      Output.print(System.out, output, rows(client.stub().listDeviceStatus(request.build()).getDevicesList()), COLUMNS);
    }
    return 0;
  }

  static List<Map<String, Object>> rows(List<DeviceStatus> devices) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DeviceStatus d : devices) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("device", d.getDevice());
      row.put("state", d.getState());
      row.put("desired_generation", d.getDesiredGeneration());
      row.put("applied_generation", d.getAppliedGeneration());
      row.put("last_seen", d.getLastSeenMillis() == 0 ? null : Instant.ofEpochMilli(d.getLastSeenMillis()).toString());
      row.put("error", d.getError());
      row.put("target", d.getTarget());
      row.put("tags", d.getTagsList());
      row.put("desired_digest", d.getDesiredDigest());
      row.put("applied_digest", d.getAppliedDigest());
      rows.add(row);
    }
    return rows;
  }
}
