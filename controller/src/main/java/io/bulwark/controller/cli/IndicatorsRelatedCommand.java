package io.bulwark.controller.cli;

import io.bulwark.controller.correlate.Defang;
import io.bulwark.proto.admin.v1.RelatedIndicator;
import io.bulwark.proto.admin.v1.RelatedIndicatorsRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark indicators related ID}: the linked indicators, closest first, defanged. */
@Command(name = "related", mixinStandardHelpOptions = true,
    description = "Lists the indicators linked to one: duplicate, related-high (shared object or CVE),"
        + " related-low (shared value), closest first.")
final class IndicatorsRelatedCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Parameters(index = "0", paramLabel = "ID", description = "The STIX id of the indicator.")
  String id;

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Output.Format output;

  @Override
  public Integer call() {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (AdminClient client = dataDir.open()) {
      var request = RelatedIndicatorsRequest.newBuilder().setId(id).build();
      for (RelatedIndicator r : client.stub().relatedIndicators(request).getRelatedList()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.getId());
        row.put("level", r.getLevel());
        row.put("shared", String.join("; ", r.getSharedList().stream().map(Defang::text).toList()));
        row.put("name", Defang.text(r.getName()));
        rows.add(row);
      }
    }
    Output.print(System.out, output, rows, List.of("level", "id", "shared", "name"));
    return 0;
  }
}
