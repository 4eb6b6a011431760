package io.bulwark.controller.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.testing.TestDatabases;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The status writer, on a real H2 store. */
class StatusWriterTest {
  private static final Instant AT = Instant.parse("2026-06-01T10:00:00Z");

  private final Database db = TestDatabases.freshH2();
  private final JdbcDeviceStore devices = new JdbcDeviceStore(db.jdbi());

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void reportsStoredTogether_areAcknowledgedOncePerStream_withTheirHighestSequence() throws Exception {
    devices.upsertEnrolled("host-a", "nftables", List.of(), AT);
    devices.upsertEnrolled("host-b", "nftables", List.of(), AT);
    BlockingQueue<String> told = new LinkedBlockingQueue<>();
    StatusWriter.Acknowledger streamA = sequence -> told.add("host-a up to " + sequence);
    StatusWriter.Acknowledger streamB = sequence -> told.add("host-b up to " + sequence);
    StatusWriter writer = new StatusWriter(devices);
    // Queued before the writer starts, so that it takes them as one batch.
    writer.submit(report("host-a", 1, ApplyReport.Outcome.APPLYING), streamA);
    writer.submit(report("host-b", 7, ApplyReport.Outcome.APPLYING), streamB);
    writer.submit(report("host-a", 2, ApplyReport.Outcome.APPLIED), streamA);
    writer.submit(report("host-b", 8, ApplyReport.Outcome.APPLIED), streamB);

    writer.start();

    assertEquals("host-a up to 2", told.poll(10, TimeUnit.SECONDS));
    assertEquals("host-b up to 8", told.poll(10, TimeUnit.SECONDS));
    writer.close();
    assertEquals(List.of(), List.copyOf(told), "one acknowledgement per stream");
    assertEquals(1, writer.batches());
    assertEquals(2, devices.greeting("host-a").orElseThrow().lastSequence());
    assertEquals(8, devices.greeting("host-b").orElseThrow().lastSequence());
  }

  private static DeviceStore.Reported report(String device, long sequence, ApplyReport.Outcome outcome) {
    return new DeviceStore.Reported(device, new ApplyReport(0, "", 3, outcome, "", AT), sequence, null, AT);
  }
}
