package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ingest.GeneratedBundle;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code bulwark ingest} streams a file larger than any one admin message to a real controller. */
class IngestUploadIT {

  @Test
  void bundleLargerThanAnAdminMessage_isStreamedInChunks_andStoredWhole() throws Exception {
    try (RunningController controller = RunningController.start("upload")) {
      Path file = controller.dataDir().resolve("big.json");
      try (InputStream in = new GeneratedBundle(7_000, 10_000)) {
        Files.copy(in, file);
      }
      assertTrue(Files.size(file) > (64L << 20), "larger than the 64 MiB an admin message may carry");

      RunningController.Run run = controller.run("ingest", file.toString());

      assertEquals(0, run.exit(), run.err());
      assertTrue(run.out().contains(": 7000 stored, 0 unchanged"), run.out());
    }
  }
}
