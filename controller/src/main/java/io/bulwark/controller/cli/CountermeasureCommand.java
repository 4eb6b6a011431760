package io.bulwark.controller.cli;

import io.bulwark.proto.admin.v1.ApproveResponse;
import io.bulwark.proto.admin.v1.CountermeasureRequest;
import io.bulwark.proto.admin.v1.ListCountermeasuresRequest;
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

/** {@code bulwark countermeasure list|confirm|withdraw}. */
@Command(name = "countermeasure", mixinStandardHelpOptions = true, description = "Approved countermeasures.",
    subcommands = {CountermeasureCommand.ListAll.class, CountermeasureCommand.Confirm.class, CountermeasureCommand.Withdraw.class})
final class CountermeasureCommand extends CommandGroup {

  static void print(String what, ApproveResponse r) {
    System.out.printf("countermeasure %d %s (%s); %d device(s) get a new generation%s%n", r.getCountermeasureId(), what,
        r.getStatus(), r.getDevicesCount(), r.getDevicesCount() == 0 ? "" : ": " + String.join(", ", r.getDevicesList()));
  }

  @Command(name = "confirm", mixinStandardHelpOptions = true,
      description = "Gives the second approval a countermeasure waits for; it must come from another user.")
  static final class Confirm implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "ID") long id;

    @Override
    public Integer call() {
      try (AdminClient client = dataDir.open()) {
        print("confirmed", client.stub().confirmCountermeasure(CountermeasureRequest.newBuilder().setCountermeasureId(id).build()));
      }
      return 0;
    }
  }

  @Command(name = "withdraw", mixinStandardHelpOptions = true,
      description = "Withdraws a countermeasure: its rules leave the devices at the next generation.")
  static final class Withdraw implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "ID") long id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the audit log.")
    String reason;

    @Override
    public Integer call() {
      try (AdminClient client = dataDir.open()) {
        print("withdrawn", client.stub().withdrawCountermeasure(
            CountermeasureRequest.newBuilder().setCountermeasureId(id).setReason(reason).build()));
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists countermeasures with their approval state.")
  static final class ListAll implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
    Output.Format output;

    @Override
    public Integer call() {
      List<Map<String, Object>> rows = new ArrayList<>();
      try (AdminClient client = dataDir.open()) {
        for (var c : client.stub().listCountermeasures(ListCountermeasuresRequest.getDefaultInstance()).getCountermeasuresList()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("id", c.getId());
          row.put("status", c.getStatus());
          row.put("action", c.getAction());
          row.put("sinkhole", c.getSinkhole().isEmpty() ? null : io.bulwark.controller.correlate.Defang.text(c.getSinkhole()));
          row.put("severity", c.getSeverity());
          row.put("scope", c.getScope());
          row.put("indicators", c.getIndicatorIdsList());
          row.put("approved_by", c.getApprovedBy());
          row.put("second_approver", c.getSecondApprover().isEmpty() ? null : c.getSecondApprover());
          row.put("created", Instant.ofEpochMilli(c.getCreatedAtMillis()).toString());
          row.put("starts", c.getStartsAtMillis() == 0 ? null : Instant.ofEpochMilli(c.getStartsAtMillis()).toString());
          row.put("expires", c.getExpiresAtMillis() == 0 ? null : Instant.ofEpochMilli(c.getExpiresAtMillis()).toString());
          row.put("reason", c.getReason());
          row.put("canary", c.getCanaryScope().isEmpty() ? null : c.getCanaryScope());
          row.put("rollout", c.getRollout());
          row.put("withdrawal_proposed", c.getWithdrawalProposed().isEmpty() ? null
              : io.bulwark.controller.correlate.Defang.text(c.getWithdrawalProposed()));
          rows.add(row);
        }
      }
      Output.print(System.out, output, rows, List.of("id", "status", "action", "sinkhole", "severity", "scope", "rollout",
          "approved_by", "second_approver", "expires", "withdrawal_proposed"));
      return 0;
    }
  }
}
