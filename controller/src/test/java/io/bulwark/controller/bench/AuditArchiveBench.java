package io.bulwark.controller.bench;

import io.bulwark.controller.audit.AuditArchive;
import io.bulwark.controller.audit.AuditCheckpoints;
import io.bulwark.controller.audit.AuditVerifier;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.pki.BundleSigner;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcAuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints what archiving costs on a large audit log: ENTRIES entries appended as status batches
 * append them (device.applied, 1,000 per transaction), then all but the newest tenth archived
 * while another thread keeps appending one entry at a time, timing the archive and the slowest of
 * those appends (the archive must not hold them up for long). On H2 in a scratch directory, or on
 * a fresh schema of the PostgreSQL database at PG_URL, dropped afterwards.
 * Usage: {@code java -cp <controller test classpath> io.bulwark.controller.bench.AuditArchiveBench
 * [ENTRIES] [PG_URL]} (default 1,000,000).
 */
public final class AuditArchiveBench {
  private AuditArchiveBench() {}

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("bulwark-audit-bench-");
    BenchSchema schema = args.length > 1 ? BenchSchema.create(args[1], "audit_bench") : null;
    String url = schema == null ? Database.h2FileUrl(dir) : schema.url();
    try (Database db = new Database(url, null).start()) {
      Clock clock = Clock.systemUTC();
      AuditLog log = new JdbcAuditLog(db.jdbi(), clock);
      long start = System.nanoTime();
      for (int done = 0; done < entries; done += 1000) {
        List<AuditLog.Append> batch = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
          String device = "host-" + (done + i) % 10_000;
          batch.add(new AuditLog.Append("device:" + device, "device.applied", device,
              "generation " + (1 + (done + i) / 10_000) + " digest " + "0123456789abcdef".repeat(4)));
        }
        log.appendAll(batch);
      }
      System.out.printf("%s: %,d entries appended in %.1f s%n", schema == null ? "H2" : "PostgreSQL", entries,
          (System.nanoTime() - start) / 1e9);
      BundleSigner signer = BundleSigner.create();
      AuditCheckpoints checkpoints = new AuditCheckpoints(db.jdbi(), log, signer::sign, signer.publicKey(), clock);
      long through = entries - entries / 10;
      String hash = log.list(through - 1, 1).get(0).hash();
      String previous = "";
      AtomicBoolean archiving = new AtomicBoolean(true);
      AtomicLong slowest = new AtomicLong();
      AtomicLong appended = new AtomicLong();
      Thread appender = new Thread(() -> {
        while (archiving.get()) {
          long t = System.nanoTime();
          log.append("alice", "guard.add", "probe.example", "while archiving");
          slowest.accumulateAndGet(System.nanoTime() - t, Math::max);
          appended.incrementAndGet();
        }
      });
      appender.start();
      start = System.nanoTime();
      var done = new AuditArchive(db.jdbi(), log, checkpoints, clock).archive("local", 1, previous, through, hash,
          "ab".repeat(32));
      double seconds = (System.nanoTime() - start) / 1e9;
      archiving.set(false);
      appender.join();
      System.out.printf("archived entries %,d to %,d (%,d removed) in %.1f s, the whole log verified first;"
          + " meanwhile %,d single appends, the slowest %.1f ms%n", done.first(), done.through(), done.removed(),
          seconds, appended.get(), slowest.get() / 1e6);
      start = System.nanoTime();
      var r = new AuditVerifier(log).verify();
      System.out.printf("verify after it: intact %s, %,d entries, %.1f s%n", r.intact(), r.entriesChecked(),
          (System.nanoTime() - start) / 1e9);
    } finally {
      if (schema != null) {
        schema.close();
      }
      io.bulwark.controller.cli.demo.Demo.deleteTree(dir);
    }
  }
}
