package io.bulwark.controller.cli;

import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.proto.admin.v1.ArchiveAuditRequest;
import io.bulwark.proto.admin.v1.ListAuditRequest;
import io.bulwark.proto.admin.v1.VerifyAuditRequest;
import io.bulwark.proto.admin.v1.VerifyAuditResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark audit archive}: the oldest entries to a file, then out of the controller's database. */
@Command(name = "archive", mixinStandardHelpOptions = true,
    description = {"Moves the oldest audit entries to a file and out of the controller's database.",
        "Writes the entries after the last archive, up to --through or older than --before, to FILE (JSON lines,"
            + " readable by its owner only), checking their chain as it goes, and syncs it; then the controller checks"
            + " that the file starts where the last archive ended and the last entry's hash, records the archive"
            + " (entries, last hash, the file's SHA-256) with its signature, signs the new head and removes the"
            + " entries. The whole log must verify first. Keep the file: it is the record of those entries"
            + " ('audit verify --archive FILE' checks it).",
        "Exit 0 when archived, or when nothing is old enough; 1 when the log does not verify (no file is left), when"
            + " the controller refuses (the file stays, nothing was removed) or when the outcome is unknown (the file"
            + " stays: see audit verify --archive); 2 when the options are wrong."})
final class AuditArchiveCommand implements Callable<Integer> {
  private static final int PAGE = 10_000;

  @Mixin DataDirOption dataDir;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Until until;

  static final class Until {
    @Option(names = "--through", paramLabel = "SEQ", description = "The last entry to archive.")
    Long through;

    @Option(names = "--before", paramLabel = "TIME",
        description = "Archive the entries written before this instant (2026-09-01T00:00:00Z) or day (2026-09-01, UTC).")
    String before;
  }

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The archive file to write; must not exist.")
  Path out;

  @Override
  public Integer call() throws IOException {
    Instant before = until.before == null ? null : instant(until.before);
    if (Files.exists(out)) {
      throw new BulwarkException.Usage(out + " exists; an archive never replaces a file");
    }
    try (AdminClient client = dataDir.open()) {
      // Without a deadline: both read or remove the whole log, which takes minutes when it is large.
      var stub = client.stub().withDeadline(null);
      VerifyAuditResponse log = stub.verifyAudit(VerifyAuditRequest.getDefaultInstance());
      if (!log.getIntact()) {
        System.out.println("audit log BROKEN: " + log.getProblem() + "; nothing archived (see audit verify)");
        return 1;
      }
      long after = log.getArchivedThrough();
      if (until.through != null && until.through <= after) {
        throw new BulwarkException.Usage("entries up to " + after + " are archived already");
      }
      AuditArchiveFile.Summary written;
      try (AuditArchiveFile.Writer file = new AuditArchiveFile.Writer(out, after, log.getArchivedHash())) {
        long cursor = after;
        boolean more = true;
        while (more) {
          var page = client.stub().listAudit(ListAuditRequest.newBuilder().setAfterSequence(cursor).setLimit(PAGE).build())
              .getEntriesList();
          more = page.size() == PAGE;
          for (var e : page) {
            if ((until.through != null && e.getSequence() > until.through)
                || (before != null && e.getAtMillis() >= before.toEpochMilli())) {
              more = false;
              break;
            }
            file.add(new AuditEntry(e.getSequence(), Instant.ofEpochMilli(e.getAtMillis()), e.getActor(), e.getAction(),
                e.getSubject(), e.getDetails(), e.getPreviousHash(), e.getHash()));
            cursor = e.getSequence();
          }
        }
        if (until.through != null && cursor != until.through) {
          throw new BulwarkException.Usage("there is no entry " + until.through + "; the log ends at entry " + cursor);
        }
        if (file.entries() == 0) {
          System.out.println("nothing to archive: no entry after " + after + " was written before " + before);
          return 0;
        }
        written = file.finish();
      } catch (AuditArchiveFile.BrokenException e) {
        System.out.println("the entries as listed do not chain (" + e.getMessage() + "); nothing archived: see"
            + " audit verify");
        return 1;
      }
      String sha256 = AuditArchiveFile.sha256(out);
      try {
        var done = stub.archiveAudit(ArchiveAuditRequest.newBuilder().setFirstSequence(written.first())
            .setPreviousHash(written.previousHash()).setThroughSequence(written.through())
            .setThroughHash(written.lastHash()).setFileSha256(sha256).build());
        System.out.println("archived entries " + done.getFirstSequence() + " to " + done.getThroughSequence() + " ("
            + done.getRemoved() + " removed) to " + out + ", SHA-256 " + sha256 + "; the controller keeps the entries"
            + " after " + done.getThroughSequence() + ", chained to its hash " + written.lastHash());
        return 0;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.INVALID_ARGUMENT || code == Status.Code.FAILED_PRECONDITION
            || code == Status.Code.PERMISSION_DENIED) {
          System.out.println("the controller refused to archive them: " + e.getStatus().getDescription() + "; " + out
              + " was written, and nothing was removed");
        } else {
          System.out.println("the archive may or may not have been recorded (" + code + ": "
              + e.getStatus().getDescription() + "); keep " + out + " (SHA-256 " + sha256 + ") and see 'audit verify"
              + " --archive " + out + "'");
        }
        return 1;
      }
    }
  }

  /**
   * Checks each archive's chain, that each follows the one before, that each is the file the
   * controller recorded (its SHA-256), that the last one ends where the controller's log starts,
   * and unless {@code partial} that the first one starts at entry 1; prints what holds and returns
   * the exit code.
   */
  static int verifyFiles(List<Path> files, boolean partial, VerifyAuditResponse log) throws IOException {
    AuditArchiveFile.Summary first = null;
    AuditArchiveFile.Summary previous = null;
    for (Path f : files) {
      AuditArchiveFile.Summary s;
      try {
        s = AuditArchiveFile.read(f);
      } catch (AuditArchiveFile.BrokenException e) {
        System.out.println("archive BROKEN: " + e.getMessage());
        return 1;
      }
      if (previous != null && (s.first() != previous.through() + 1 || !s.previousHash().equals(previous.lastHash()))) {
        System.out.println("archive " + f + " does not follow the one before it (entries " + s.first() + " to "
            + s.through() + " after " + previous.through() + ")");
        return 1;
      }
      String sha256 = AuditArchiveFile.sha256(f);
      var recorded = log.getArchivesList().stream()
          .filter(a -> a.getFirstSequence() == s.first() && a.getThroughSequence() == s.through()).findFirst();
      if (recorded.isEmpty() || !recorded.get().getFileSha256().equals(sha256)
          || !recorded.get().getThroughHash().equals(s.lastHash())) {
        System.out.println("archive " + f + " is not the file the controller recorded for entries " + s.first() + " to "
            + s.through() + (recorded.isEmpty() ? " (it recorded no such archive)"
            : " (SHA-256 " + sha256 + ", recorded " + recorded.get().getFileSha256() + ")"));
        return 1;
      }
      System.out.println("archive " + f + " intact: entries " + s.first() + " to " + s.through() + ", as recorded");
      first = first == null ? s : first;
      previous = s;
    }
    if (previous.through() != log.getArchivedThrough() || !previous.lastHash().equals(log.getArchivedHash())) {
      System.out.println("the last archive ends at entry " + previous.through() + ", but the controller's log goes on"
          + " from entry " + (log.getArchivedThrough() + 1) + ": the archives after it are missing here");
      return 1;
    }
    boolean whole = first.first() == 1 && first.previousHash().isEmpty();
    System.out.println("the archives join the controller's log at entry " + previous.through()
        + (whole ? "; with it they hold every entry from the first"
            : "; the archives before entry " + first.first() + " are not among these"
            + (partial ? " (--partial)" : ": give them too, or --partial")));
    return whole || partial ? 0 : 1;
  }

  private static Instant instant(String text) {
    try {
      return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new BulwarkException.Usage("--before " + text + " is neither an instant (2026-09-01T00:00:00Z) nor a day"
          + " (2026-09-01)");
    }
  }
}
