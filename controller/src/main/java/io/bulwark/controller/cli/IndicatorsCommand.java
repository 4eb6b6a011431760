package io.bulwark.controller.cli;

import io.bulwark.proto.admin.v1.Indicator;
import io.bulwark.proto.admin.v1.ListIndicatorsRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark indicators list}, {@code show}, {@code related} and {@code search}. */
@Command(name = "indicators", mixinStandardHelpOptions = true, description = "Stored indicators.",
    subcommands = {IndicatorsCommand.ListCommand.class, IndicatorsShowCommand.class, IndicatorsRelatedCommand.class,
        IndicatorsSearchCommand.class})
final class IndicatorsCommand extends CommandGroup {

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the newest version of each indicator with its status.")
  static final class ListCommand implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
        description = "table or json (default: ${DEFAULT-VALUE}).")
    Output.Format output;

    @Option(names = "--pending",
        description = "Only the indicators not yet approved, highest priority first, with the score and why.")
    boolean pending;

    @Override
    public Integer call() {
      List<Map<String, Object>> rows = new ArrayList<>();
      try (AdminClient client = dataDir.open()) {
        var request = ListIndicatorsRequest.newBuilder().setPending(pending).build();
        for (Indicator i : client.stub().listIndicators(request).getIndicatorsList()) {
          Map<String, Object> row = new LinkedHashMap<>();
          // Feed values are shown defanged, in every format and listing.
          row.put("id", i.getId());
          row.put("name", io.bulwark.controller.correlate.Defang.text(i.getName()));
          row.put("pattern", io.bulwark.controller.correlate.Defang.text(i.getPattern()));
          row.put("status", i.getStatus());
          row.put("tlp", i.getTlp().isEmpty() ? null : i.getTlp());
          row.put("modified", i.getModified());
          row.put("valid_until", i.getValidUntil().isEmpty() ? null : i.getValidUntil());
          row.put("detail", io.bulwark.controller.correlate.Defang.text(i.getDetail()));
          row.put("allowlist", io.bulwark.controller.correlate.Defang.text(String.join("; ", i.getAllowlistList())));
          if (pending) {
            row.put("priority", i.getPriority());
            row.put("why", i.getPriorityWhy());
          }
          rows.add(row);
        }
      }
      Output.print(System.out, output, rows, pending ? List.of("priority", "id", "tlp", "name", "pattern", "allowlist", "why")
          : List.of("id", "status", "tlp", "name", "pattern", "allowlist"));
      return 0;
    }
  }
}
