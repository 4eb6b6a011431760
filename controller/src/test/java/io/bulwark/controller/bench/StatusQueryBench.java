package io.bulwark.controller.bench;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcDeviceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Times the fleet-size status queries on a store holding N devices (default 10,000) that went
 * through three generations, 90% of them on the newest: "devices not on generation G", "devices
 * that lack countermeasure C", and the whole list, each 30 times. Also times writing N status
 * reports in batches as the status writer does, then three rollouts of 2N reports (applying and
 * applied per device, each with its outbox sequence), every agent reconnecting (its stream closed,
 * then its hello: a report and the connection), then a generation carrying 100
 * countermeasures stored for every device and what a compliance report reads after it, and pruning
 * the history of ten more generations. The store
 * is the controller's: changes are audited in the same transaction. Run with the test classpath:
 * {@code java -cp ... io.bulwark.controller.bench.StatusQueryBench [N] [JDBC_URL]} (default: an
 * H2 file database in a temporary directory).
 */
public final class StatusQueryBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path dir = Files.createTempDirectory("bulwark-status-bench-");
    String url = args.length > 1 ? args[1] : "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0";
    try {
      try (Database db = new Database(url, args.length > 2 ? args[2] : null).start()) {
        // As the controller has it: every change with its audit entries, in one transaction.
        DeviceStore devices = new io.bulwark.controller.audit.AuditedDeviceStore(new JdbcDeviceStore(db.jdbi()),
            new io.bulwark.controller.store.JdbcAuditLog(db.jdbi(), java.time.Clock.systemUTC()),
            new io.bulwark.controller.store.JdbcAtomic(db.jdbi()));
        Instant now = Instant.now();
        long t = System.nanoTime();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          names.add(String.format("dev-%05d", i));
          devices.upsertEnrolled(names.get(i), "nftables", List.of("fleet"), now);
        }
        System.out.printf("enrolled %d devices in %d ms%n", n, (System.nanoTime() - t) / 1_000_000);
        for (int g = 1; g <= 3; g++) {
          int gen = g;
          List<DeviceStore.Advance> advances = names.stream()
              .map(d -> new DeviceStore.Advance(d, "nftables", "rules " + gen, "digest" + gen, List.of(1L, gen + 1L))).toList();
          t = System.nanoTime();
          devices.advanceDesired(advances);
          System.out.printf("generation %d stored for %d devices in one transaction: %d ms%n", g, n,
              (System.nanoTime() - t) / 1_000_000);
        }
        List<DeviceStore.Reported> reports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int applied = i % 10 == 0 ? 2 : 3;
          reports.add(new DeviceStore.Reported(names.get(i),
              new ApplyReport(applied, "digest" + applied, applied, ApplyReport.Outcome.APPLIED, "", now), 1, true, now));
        }
        t = System.nanoTime();
        for (int from = 0; from < reports.size(); from += 5000) {
          devices.recordReports(reports.subList(from, Math.min(reports.size(), from + 5000)));
        }
        long ms = (System.nanoTime() - t) / 1_000_000;
        System.out.printf("%d status reports stored in batches of 5,000: %d ms (%.0f per second)%n", n, ms,
            n * 1000.0 / Math.max(1, ms));
        // The queries, while every tenth device is still on generation 2 (whose countermeasures lack 4),
        // with the planner's statistics as PostgreSQL's autovacuum keeps them: before, the tables
        // had just been filled and the planner expected a hundred rows where there are 10,000.
        t = System.nanoTime();
        db.jdbi().useHandle(h -> h.execute("ANALYZE"));
        System.out.printf("statistics refreshed (ANALYZE): %d ms%n", (System.nanoTime() - t) / 1_000_000);
        int behind = (n + 9) / 10;
        time("devices not on generation 3", behind, () -> devices.belowGeneration(3).size());
        time("devices lacking countermeasure 4", behind, () -> devices.lacking(4).size());
        time("all devices", n, () -> devices.list().size());
        // Rollouts as agents report them: APPLYING then APPLIED per device, each with its sequence.
        for (int g = 4; g <= 6; g++) {
          List<DeviceStore.Reported> rollout = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            rollout.add(new DeviceStore.Reported(names.get(i), new ApplyReport(g - 1, "digest" + (g - 1), g,
                ApplyReport.Outcome.APPLYING, "", now), 2L * g, null, now));
          }
          for (int i = 0; i < n; i++) {
            rollout.add(new DeviceStore.Reported(names.get(i), new ApplyReport(g, "digest" + g, g,
                ApplyReport.Outcome.APPLIED, "", now), 2L * g + 1, null, now));
          }
          t = System.nanoTime();
          for (int from = 0; from < rollout.size(); from += 5000) {
            devices.recordReports(rollout.subList(from, Math.min(rollout.size(), from + 5000)));
          }
          ms = (System.nanoTime() - t) / 1_000_000;
          System.out.printf("rollout %d: %d reports (applying, applied) in batches of 5,000: %d ms (%.0f per second)%n",
              g, rollout.size(), ms, rollout.size() * 1000.0 / Math.max(1, ms));
        }
        // Every agent back after a controller restart: each stream's closing, then its hello (a
        // report of what it applied, and the connection).
        List<DeviceStore.Reported> reconnect = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          reconnect.add(new DeviceStore.Reported(names.get(i), null, 0, false, now));
        }
        for (int i = 0; i < n; i++) {
          reconnect.add(new DeviceStore.Reported(names.get(i), new ApplyReport(6, "digest6", 6,
              ApplyReport.Outcome.APPLIED, "", now), 0, true, now));
        }
        t = System.nanoTime();
        for (int from = 0; from < reconnect.size(); from += 5000) {
          devices.recordReports(reconnect.subList(from, Math.min(reconnect.size(), from + 5000)));
        }
        ms = (System.nanoTime() - t) / 1_000_000;
        System.out.printf("reconnect: %d events (closed, hello) in batches of 5,000: %d ms (%.0f per second)%n",
            reconnect.size(), ms, reconnect.size() * 1000.0 / Math.max(1, ms));
        // A generation carrying 100 countermeasures (as after months of approvals): one set for the
        // whole fleet; and what a compliance report then reads, one row per device and countermeasure.
        List<Long> hundred = java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList();
        t = System.nanoTime();
        devices.advanceDesired(names.stream()
            .map(d -> new DeviceStore.Advance(d, "nftables", "rules 4", "digest4", hundred)).toList());
        System.out.printf("generation 4, carrying 100 countermeasures, stored for %d devices: %d ms%n", n,
            (System.nanoTime() - t) / 1_000_000);
        t = System.nanoTime();
        int pairs = devices.carriedByCurrent().values().stream().mapToInt(java.util.Set::size).sum();
        long carriedMs = (System.nanoTime() - t) / 1_000_000;
        t = System.nanoTime();
        int first = devices.firstApplied().size();
        System.out.printf("compliance report reads: %d (device, countermeasure) pairs carried in %d ms, %d first"
            + " applications in %d ms%n", pairs, carriedMs, first, (System.nanoTime() - t) / 1_000_000);
        prune(devices, names);
      }
    } finally {
      FleetBench.deleteTree(dir);
    }
  }

  /**
   * Ten more generations, each carrying one countermeasure more, applied by every device; then times
   * pruning all but the last two below the current ones, refusing to report a time for a pruning
   * that changed what a compliance report reads.
   */
  private static void prune(DeviceStore devices, List<String> names) {
    applyGenerations(devices, names, 5, 14);
    List<DeviceStore.FirstApplied> before = devices.firstApplied();
    long t = System.nanoTime();
    DeviceStore.Pruned pruned = devices.pruneHistory(2);
    long ms = (System.nanoTime() - t) / 1_000_000;
    if (!before.equals(devices.firstApplied())) {
      throw new IllegalStateException("pruning changed the first applications");
    }
    System.out.printf("history pruned to 2 generations below the current ones in %d ms: %s%n", ms, pruned);
    t = System.nanoTime();
    devices.pruneHistory(2);
    System.out.printf("pruning again, nothing left to prune: %d ms%n", (System.nanoTime() - t) / 1_000_000);
    t = System.nanoTime();
    int first = devices.firstApplied().size();
    System.out.printf("first applications read after pruning: %d in %d ms%n", first, (System.nanoTime() - t) / 1_000_000);
    applyGenerations(devices, names, 15, 15);
    t = System.nanoTime();
    pruned = devices.pruneHistory(2);
    System.out.printf("one generation later, pruned in %d ms: %s%n", (System.nanoTime() - t) / 1_000_000, pruned);
  }

  /** Generations {@code from} to {@code to}, each carrying one countermeasure more, applied by every device. */
  private static void applyGenerations(DeviceStore devices, List<String> names, int from, int to) {
    Instant now = Instant.now();
    for (int g = from; g <= to; g++) {
      int gen = g;
      List<Long> ids = java.util.stream.LongStream.rangeClosed(1, 96 + g).boxed().toList();
      devices.advanceDesired(names.stream()
          .map(d -> new DeviceStore.Advance(d, "nftables", "rules " + gen, "digest" + gen, ids)).toList());
      List<DeviceStore.Reported> applied = names.stream().map(d -> new DeviceStore.Reported(d,
          new ApplyReport(gen, "digest" + gen, gen, ApplyReport.Outcome.APPLIED, "", now.plusSeconds(gen)), 0, null, now)).toList();
      for (int i = 0; i < applied.size(); i += 5000) {
        devices.recordReports(applied.subList(i, Math.min(applied.size(), i + 5000)));
      }
    }
  }

  /** Times {@code query}, refusing to report a time for an answer other than {@code expected}. */
  private static void time(String what, int expected, Supplier<Integer> query) {
    long[] micros = new long[30];
    int found = 0;
    for (int i = 0; i < 5; i++) {
      query.get();
    }
    for (int i = 0; i < micros.length; i++) {
      long t = System.nanoTime();
      found = query.get();
      micros[i] = (System.nanoTime() - t) / 1000;
    }
    if (found != expected) {
      throw new IllegalStateException(what + ": " + found + " found, expected " + expected);
    }
    Arrays.sort(micros);
    System.out.printf("%s: %d found; median %.1f ms, max %.1f ms over %d runs%n", what, found,
        micros[micros.length / 2] / 1000.0, micros[micros.length - 1] / 1000.0, micros.length);
  }
}
