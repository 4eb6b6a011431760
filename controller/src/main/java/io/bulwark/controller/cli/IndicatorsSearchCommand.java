package io.bulwark.controller.cli;

import io.bulwark.controller.correlate.Defang;
import io.bulwark.proto.admin.v1.SearchHit;
import io.bulwark.proto.admin.v1.SearchIndicatorsRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark indicators search TERM}: indicators by value, CVE, STIX id or text, defanged. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Finds indicators by value (an IP finds the CIDRs containing it; domain, URL, hash),"
        + " by CVE id, by STIX id, or by text in name and description. Defanged terms are accepted.")
final class IndicatorsSearchCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Parameters(index = "0", paramLabel = "TERM", description = "What to look for.")
  String term;

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Output.Format output;

  @Override
  public Integer call() {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (AdminClient client = dataDir.open()) {
      var request = SearchIndicatorsRequest.newBuilder().setTerm(term).build();
      for (SearchHit h : client.stub().searchIndicators(request).getHitsList()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", h.getId());
        row.put("why", Defang.text(h.getWhy()));
        row.put("name", Defang.text(h.getName()));
        rows.add(row);
      }
    }
    Output.print(System.out, output, rows, List.of("id", "why", "name"));
    return 0;
  }
}
