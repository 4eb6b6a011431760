package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.ingest.GeneratedBundle;
import io.bulwark.controller.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bulwark ingest} streams a file larger than any one admin message to a real controller. */
class IngestUploadIT {

  @Test
  void bundleLargerThanAnAdminMessage_isStreamedInChunks_andStoredWhole() throws Exception {
    Path work = Files.createTempDirectory("bulwark-upload-");
    ControllerMain controller = null;
    try {
      controller = new ControllerMain(new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
          new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)),
          MutableClock.at("2026-12-04T10:00:00Z")).start();
      Path file = work.resolve("big.json");
      try (InputStream in = new GeneratedBundle(7_000, 10_000)) {
        Files.copy(in, file);
      }
      assertTrue(Files.size(file) > (64L << 20), "larger than the 64 MiB an admin message may carry");

      PrintStream saved = System.out;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int exit;
      try {
        exit = BulwarkCli.commandLine().execute("ingest", file.toString(), "--data-dir", work.toString());
      } finally {
        System.setOut(saved);
      }

      assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
      assertTrue(out.toString(StandardCharsets.UTF_8).contains(": 7000 stored, 0 unchanged"), out.toString());
    } finally {
      if (controller != null) {
        controller.close();
      }
      io.bulwark.controller.cli.demo.Demo.deleteTree(work);
    }
  }
}
