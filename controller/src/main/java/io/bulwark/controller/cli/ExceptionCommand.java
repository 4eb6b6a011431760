package io.bulwark.controller.cli;

import io.bulwark.proto.admin.v1.AddExceptionRequest;
import io.bulwark.proto.admin.v1.ListExceptionsRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark exception add|list}: devices exempted from a countermeasure. */
@Command(name = "exception", mixinStandardHelpOptions = true, description = "Devices exempted from a countermeasure.",
    subcommands = {ExceptionCommand.Add.class, ExceptionCommand.ListAll.class})
final class ExceptionCommand extends CommandGroup {

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Exempts a device from a countermeasure until the expiry; its rules change at once.",
          "The exception, its reason and its approver show in every report."})
  static final class Add implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--countermeasure", required = true, paramLabel = "ID") long countermeasure;

    @Option(names = "--device", required = true, paramLabel = "NAME") String device;

    @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason;

    @Option(names = "--expires", defaultValue = "7d", paramLabel = "DURATION",
        description = "How long it holds (default: ${DEFAULT-VALUE}, at most 365d).")
    String expires;

    @Override
    public Integer call() {
      long seconds = Durations.parse("--expires", expires).toSeconds();
      try (AdminClient client = dataDir.open()) {
        var e = client.stub().addException(AddExceptionRequest.newBuilder().setCountermeasureId(countermeasure)
            .setDevice(device).setReason(reason).setExpiresInSeconds(seconds).build());
        System.out.println("device " + e.getDevice() + " exempted from countermeasure " + e.getCountermeasureId()
            + " until " + Instant.ofEpochMilli(e.getExpiresAtMillis()));
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists exceptions, expired ones included.")
  static final class ListAll implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
    Output.Format output;

    @Override
    public Integer call() {
      List<Map<String, Object>> rows = new ArrayList<>();
      try (AdminClient client = dataDir.open()) {
        for (var e : client.stub().listExceptions(ListExceptionsRequest.getDefaultInstance()).getExceptionsList()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("id", e.getId());
          row.put("countermeasure", e.getCountermeasureId());
          row.put("device", e.getDevice());
          row.put("reason", e.getReason());
          row.put("approved_by", e.getApprovedBy());
          row.put("expires", Instant.ofEpochMilli(e.getExpiresAtMillis()).toString());
          rows.add(row);
        }
      }
      Output.print(System.out, output, rows, List.of("id", "countermeasure", "device", "expires", "approved_by", "reason"));
      return 0;
    }
  }
}
