package io.bulwark.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle larger than the heap is ingested in full, in a JVM of its own with {@code -Xmx128m}: the
 * reader streams it and the ingest writes it in batches bounded by count and by size.
 */
class LargeBundleIngestIT {
  @TempDir Path dir;

  @Test
  void bundleOf200MegabytesIntoEmbeddedH2_underA128MegabyteHeap() throws Exception {
    int count = 20_000;
    int padding = 10_000;
    long bytes = new GeneratedBundle(count, padding).size();
    assertTrue(bytes > 200_000_000L, "the bundle is " + bytes + " bytes");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process probe = new ProcessBuilder(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        LargeBundleProbe.class.getName(), dir.resolve("db").toString(), String.valueOf(count), String.valueOf(padding)))
        .redirectErrorStream(true).start();
    try {
      assertTrue(probe.waitFor(5, TimeUnit.MINUTES), "the probe finished");
      String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, probe.exitValue(), out);
      String last = out.strip().lines().reduce((a, b) -> b).orElse("");
      System.out.println("large bundle under -Xmx128m: " + last);
      assertTrue(last.startsWith("stored=" + count + " rejected=0 bytes=" + bytes + " max_heap_mb="), out);
      long maxHeap = Long.parseLong(last.replaceAll(".* max_heap_mb=(\\d+).*", "$1"));
      assertTrue(maxHeap <= 128 && bytes > maxHeap << 20, "a bundle larger than the heap: " + last);
    } finally {
      probe.destroyForcibly();
    }
  }
}
