package io.bulwark.controller.cli;

import io.bulwark.controller.correlate.Defang;
import io.bulwark.proto.admin.v1.IndicatorDetail;
import io.bulwark.proto.admin.v1.ShowIndicatorRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark indicators show ID}: one indicator, why it has its priority, who reported it. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Shows one indicator: its status, the terms the guard rails' allowlist would refuse, its priority",
        "score term by term, the sources that reported it with their trust, and the severity its feeds suggest."})
final class IndicatorsShowCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Parameters(index = "0", paramLabel = "ID", description = "The STIX id of the indicator.")
  String id;

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Output.Format output;

  @Override
  public Integer call() {
    IndicatorDetail d;
    try (AdminClient client = dataDir.open()) {
      d = client.stub().showIndicator(ShowIndicatorRequest.newBuilder().setId(id).build());
    }
    var i = d.getIndicator();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", i.getId());
    row.put("name", Defang.text(i.getName()));
    row.put("pattern", Defang.text(i.getPattern()));
    row.put("status", i.getStatus());
    row.put("tlp", i.getTlp());
    row.put("modified", i.getModified());
    row.put("detail", Defang.text(i.getDetail()));
    row.put("allowlist", i.getAllowlistList().stream().map(Defang::text).toList());
    row.put("priority", i.getPriority());
    row.put("why", i.getPriorityWhy());
    List<Map<String, Object>> contributions = new ArrayList<>();
    for (var c : d.getContributionsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("factor", c.getFactor());
      m.put("points", c.getPoints());
      m.put("detail", Defang.text(c.getDetail()));
      contributions.add(m);
    }
    row.put("contributions", contributions);
    List<Map<String, Object>> reports = new ArrayList<>();
    for (var r : d.getReportsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", r.getSource());
      m.put("trust", r.getTrust());
      m.put("times", r.getTimes());
      m.put("first", Instant.ofEpochMilli(r.getFirstAtMillis()).toString());
      m.put("last", Instant.ofEpochMilli(r.getLastAtMillis()).toString());
      reports.add(m);
    }
    row.put("reports", reports);
    row.put("suggested_severity", d.getSuggestedSeverity());
    if (output == Output.Format.json) {
      Output.print(System.out, output, List.of(row), List.of());
      return 0;
    }
    for (String k : List.of("id", "name", "pattern", "status", "tlp", "modified", "detail", "suggested_severity")) {
      String v = String.valueOf(row.get(k)).replaceAll("\\p{Cntrl}", " ");
      if (!v.isEmpty()) {
        System.out.println(k + ": " + v);
      }
    }
    for (Object hit : (List<?>) row.get("allowlist")) {
      System.out.println("allowlist: " + hit + " (approval will refuse it)");
    }
    System.out.println("priority: " + i.getPriority());
    for (var c : contributions) {
      System.out.printf("  %+4d  %-12s %s%n", (Integer) c.get("points"), c.get("factor"),
          String.valueOf(c.get("detail")).replaceAll("\\p{Cntrl}", " "));
    }
    System.out.println("reported by:");
    System.out.print(Output.table(reports, List.of("source", "trust", "times", "first", "last")));
    return 0;
  }
}
