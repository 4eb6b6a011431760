package io.bulwark.controller.cli;

import io.bulwark.proto.admin.v1.AuditEntry;
import io.bulwark.proto.admin.v1.ListAuditRequest;
import io.bulwark.proto.admin.v1.VerifyAuditRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark audit list|verify|archive}: the hash-chained audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The hash-chained audit log.",
    subcommands = {AuditCommand.ListEntries.class, AuditCommand.Verify.class, AuditArchiveCommand.class})
final class AuditCommand extends CommandGroup {

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Checks the whole chain end to end, from the last archived entry on when entries were archived,"
          + " and with --archive the archive files too: each one's chain, and that they join one another and the"
          + " controller's log.",
          "Exit 0 when intact; 1 naming the first entry that was edited, deleted, inserted or moved, or when an"
              + " archive file does not verify, is not the one recorded, or (without --partial) the files do not start"
              + " at the first entry."})
  static final class Verify implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--archive", paramLabel = "FILE", arity = "1..*",
        description = "Archive files from 'audit archive', oldest first: from the first entry on, or with --partial"
            + " from any archive on.")
    List<java.nio.file.Path> archives = List.of();

    @Option(names = "--partial", description = "With --archive: accept files that do not start at the first entry.")
    boolean partial;

    @Override
    public Integer call() throws java.io.IOException {
      try (AdminClient client = dataDir.open()) {
        // Without a deadline: it reads the whole log, which takes minutes when it is large.
        var r = client.stub().withDeadline(null).verifyAudit(VerifyAuditRequest.getDefaultInstance());
        if (r.getIntact()) {
          String from = r.getArchivedThrough() == 0 ? "" : " after entry " + r.getArchivedThrough() + " (archived)";
          System.out.println("audit log intact: " + r.getEntriesChecked() + " entries" + from + ", head " + r.getHeadHash());
          return archives.isEmpty() ? 0 : AuditArchiveCommand.verifyFiles(archives, partial, r);
        }
        if (r.getFirstBadSequence() == 0) {
          // Every entry links to the one before, yet the chain disagrees with a signed checkpoint:
          // it was rewritten as a whole, or the head was cut off.
          System.out.println("audit log BROKEN: " + r.getProblem() + " (" + r.getEntriesChecked()
              + " entries chain together, but not to what was signed)");
        } else {
          System.out.println("audit log BROKEN at entry " + r.getFirstBadSequence() + ": " + r.getProblem()
              + " (" + r.getEntriesChecked() + " entries before it are intact)");
        }
        return 1;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists audit entries, oldest first.")
  static final class ListEntries implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--after", defaultValue = "0", paramLabel = "SEQ", description = "Only entries after this sequence.")
    long after;

    @Option(names = "--limit", defaultValue = "1000", paramLabel = "N", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
    Output.Format output;

    @Override
    public Integer call() {
      List<Map<String, Object>> rows = new ArrayList<>();
      try (AdminClient client = dataDir.open()) {
        for (AuditEntry e : client.stub().listAudit(ListAuditRequest.newBuilder().setAfterSequence(after).setLimit(limit).build())
            .getEntriesList()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("sequence", e.getSequence());
          row.put("at", Instant.ofEpochMilli(e.getAtMillis()).toString());
          row.put("actor", e.getActor());
          row.put("action", e.getAction());
          row.put("subject", e.getSubject());
          row.put("details", e.getDetails());
          row.put("hash", e.getHash());
          rows.add(row);
        }
      }
      Output.print(System.out, output, rows, List.of("sequence", "at", "actor", "action", "subject", "details"));
      return 0;
    }
  }
}
