package io.bulwark.controller.cli;

import io.bulwark.proto.admin.v1.ListGuardRequest;
import io.bulwark.proto.admin.v1.PutGuardRequest;
import io.bulwark.proto.admin.v1.RemoveGuardRequest;
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

/** {@code bulwark guard list|add|remove}: the guard list the CSIRT keeps on top of the built-in one. */
// The values are the CSIRT's own, not feed data: shown as written, not defanged.
@Command(name = "guard", mixinStandardHelpOptions = true,
    description = {"What approvals must not block (addresses, prefixes, domains) beyond the built-in list, and",
        "what they may block although the built-in list protects it. Ingest marks indicators that hit it."},
    subcommands = {GuardCommand.ListAll.class, GuardCommand.Add.class, GuardCommand.Remove.class})
final class GuardCommand extends CommandGroup {

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Protects VALUE (an IP address, a prefix or a domain and the names under it), or with --allow",
          "lets approvals block it although the built-in list protects it (never the controller's own or a managed",
          "device's address). Replaces an entry for the same value. In force for the next ingest and approval."})
  static final class Add implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "VALUE", description = "For example 203.0.113.0/24, partner.example, 10.20.0.0/16.")
    String value;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; shown with every collision.")
    String reason;

    @Option(names = "--allow", description = "Allow blocking it instead of protecting it.")
    boolean allow;

    @Override
    public Integer call() {
      try (AdminClient client = dataDir.open()) {
        var e = client.stub().putGuard(PutGuardRequest.newBuilder().setValue(value).setAllow(allow).setReason(reason)
            .build());
        System.out.println((e.getEffect().equals("allow") ? "allowed " : "protected ") + e.getValue());
      }
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes the entry for VALUE.")
  static final class Remove implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "VALUE") String value;

    @Override
    public Integer call() {
      try (AdminClient client = dataDir.open()) {
        boolean removed = client.stub().removeGuard(RemoveGuardRequest.newBuilder().setValue(value).build()).getRemoved();
        System.out.println(removed ? "removed " + value : "no entry for " + value);
        return removed ? 0 : 1;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the CSIRT's entries; --built-in also what is protected without them.")
  static final class ListAll implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
    Output.Format output;

    @Option(names = "--built-in", description = "Also list the built-in protections.")
    boolean builtIn;

    @Override
    public Integer call() {
      List<Map<String, Object>> rows = new ArrayList<>();
      try (AdminClient client = dataDir.open()) {
        var r = client.stub().listGuard(ListGuardRequest.getDefaultInstance());
        for (var e : r.getEntriesList()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("value", e.getValue());
          row.put("effect", e.getEffect());
          row.put("reason", e.getReason());
          row.put("added_by", e.getAddedBy());
          row.put("added_at", Instant.ofEpochMilli(e.getAddedAtMillis()).toString());
          rows.add(row);
        }
        if (builtIn) {
          for (String line : r.getBuiltInList()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("value", line.substring(0, line.indexOf(" (")));
            row.put("effect", "protect");
            row.put("reason", line.substring(line.indexOf(" (") + 2, line.length() - 1));
            row.put("added_by", "built in");
            row.put("added_at", null);
            rows.add(row);
          }
        }
      }
      Output.print(System.out, output, rows, List.of("value", "effect", "reason", "added_by", "added_at"));
      return 0;
    }
  }
}
