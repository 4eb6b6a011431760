package io.bulwark.controller.ingest;

import io.bulwark.controller.correlate.CorrelationIndex;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorReportStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.store.JdbcStixObjectStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Run in a JVM of its own with a small heap by {@link LargeBundleIngestIT}: ingests a generated
 * bundle through the whole ingest path (validation, versions, other objects, correlation index,
 * reports) into an embedded H2 database and prints {@code stored=N rejected=M bytes=B max_heap_mb=H pool_peaks_mb=P}.
 *
 * <p>Arguments: the database directory, the number of indicators, the description length.
 */
public final class LargeBundleProbe {
  private LargeBundleProbe() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    GeneratedBundle bundle = new GeneratedBundle(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    long bytes = bundle.size();
    Clock clock = Clock.systemUTC();
    try (Database db = new Database(Database.h2FileUrl(dir), null).start()) {
      var ingestor = new BundleIngestor(new JdbcIndicatorStore(db.jdbi(), clock), new JdbcStixObjectStore(db.jdbi(), clock),
          BundleIngestor.Hook.all(new CorrelationIndex(db.jdbi()),
              new ReportRecorder(new JdbcIndicatorReportStore(db.jdbi()), clock)), AllowlistCheck.NONE);
      var report = ingestor.ingest(bundle, "probe");
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      // The pools' peaks are summed: an upper bound of the heap in use; the heap itself never exceeds max.
      System.out.printf("stored=%d rejected=%d bytes=%d max_heap_mb=%d pool_peaks_mb=%d%n", report.stored(),
          report.rejectedCount(), bytes, Runtime.getRuntime().maxMemory() >> 20, peak >> 20);
    }
  }
}
