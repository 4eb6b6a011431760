package io.bulwark.controller.bench;

import io.bulwark.controller.correlate.CorrelationIndex;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.rules.stix.StixBundleReader;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * Times the ingest of one synthetic bundle of IPv4 indicators through {@link BundleIngestor} with
 * the JDBC indicator store and the correlation index, as the Ingest call does, then the same bundle
 * again (every indicator unchanged). The database is the controller's embedded H2 file (same URL
 * settings) in a temporary directory, removed afterwards, or a new schema in the PostgreSQL database given, dropped
 * afterwards.
 */
public final class IngestBench {
  private final int indicators;
  private final String dbUrl;
  private final PrintStream out;

  /**
   * @param dbUrl a PostgreSQL JDBC URL, or null for embedded H2
   */
  public IngestBench(int indicators, String dbUrl, PrintStream out) {
    if (indicators < 1 || indicators > (1 << 17)) {
      throw new IllegalArgumentException("indicators must be between 1 and 131072, not " + indicators);
    }
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--db-url must be a jdbc:postgresql: URL (without it: embedded H2)");
    }
    this.indicators = indicators;
    this.dbUrl = dbUrl;
    this.out = out;
  }

  /** Runs both ingests and prints the figures. */
  public void run() throws Exception {
    byte[] bundle = FleetBundles.ipv4(0, indicators).json();
    out.printf(Locale.ROOT, "bundle: %,d indicators, %,d bytes%n", indicators, bundle.length);
    Path dir = null;
    BenchSchema schema = null;
    Database db;
    if (dbUrl == null) {
      dir = Files.createTempDirectory("bulwark-ingest-bench-");
      db = new Database(Database.h2FileUrl(dir), null);
      out.println("database: embedded H2 in " + dir);
    } else {
      schema = BenchSchema.create(dbUrl, "bulwark_bench");
      db = new Database(dbUrl, schema.name());
      out.println("database: PostgreSQL, new schema " + schema.name());
    }
    try (db) {
      db.start();
      var store = new JdbcIndicatorStore(db.jdbi(), Clock.systemUTC());
      var ingestor = new BundleIngestor(store, new io.bulwark.controller.store.JdbcStixObjectStore(db.jdbi(),
          Clock.systemUTC()), BundleIngestor.Hook.all(new CorrelationIndex(db.jdbi()),
          new io.bulwark.controller.ingest.ReportRecorder(
              new io.bulwark.controller.store.JdbcIndicatorReportStore(db.jdbi()), Clock.systemUTC())),
          io.bulwark.controller.ingest.AllowlistCheck.NONE);
      once("first ingest", bundle, ingestor);
      once("same bundle again", bundle, ingestor);
      long versions = db.jdbi().withHandle(h ->
          h.createQuery("SELECT COUNT(*) FROM indicator_versions").mapTo(Long.class).one());
      long ranges = db.jdbi().withHandle(h ->
          h.createQuery("SELECT COUNT(*) FROM correlation_ranges").mapTo(Long.class).one());
      out.printf(Locale.ROOT, "indicator versions stored: %d%n", versions);
      out.printf(Locale.ROOT, "correlation ranges stored: %d%n", ranges);
    } finally {
      if (schema != null) {
        schema.close();
      }
      if (dir != null) {
        FleetBench.deleteTree(dir);
      }
    }
  }

  private void once(String label, byte[] bundle, BundleIngestor ingestor) {
    System.gc();
    resetPeaks();
    long t0 = System.nanoTime();
    new StixBundleReader().read(new ByteArrayInputStream(bundle), r -> {});
    long parsed = System.nanoTime() - t0;
    long t1 = System.nanoTime();
    BundleIngestor.Report report = ingestor.ingest(new ByteArrayInputStream(bundle), "bench");
    long total = System.nanoTime() - t1;
    if (report.stored() + report.unchanged() != indicators || !report.rejected().isEmpty()) {
      throw new IllegalStateException(label + ": expected " + indicators + " indicators accepted, got " + report);
    }
    out.printf(Locale.ROOT, "%s: %,d stored, %,d unchanged%n", label, report.stored(), report.unchanged());
    out.printf(Locale.ROOT, "  parse and validate alone: %,d ms (%,.0f indicators/s)%n",
        parsed / 1_000_000, rate(parsed));
    out.printf(Locale.ROOT, "  full ingest: %,d ms, of which store and correlation about %,d ms%n",
        total / 1_000_000, Math.max(0, total - parsed) / 1_000_000);
    out.printf(Locale.ROOT, "  indicators/s: %,.0f%n", rate(total));
    out.printf(Locale.ROOT, "  heap used at peak: %,d MB (max %,d MB)%n", peakHeap() >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
  }

  private double rate(long nanos) {
    return indicators * 1e9 / Math.max(1, nanos);
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since {@link #resetPeaks}: an upper bound of the heap in use. */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
