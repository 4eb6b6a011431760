package io.bulwark.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DeviceStore.Advance;
import io.bulwark.controller.domain.DeviceStore.Reported;
import io.bulwark.controller.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A status batch and a new generation for the same devices, both waiting on PostgreSQL for a row
 * that a third transaction holds: each takes the device rows in the same order, so both complete
 * once it ends, and neither is chosen to end a deadlock.
 */
class DeviceRowOrderIT {
  private static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");

  /** {@code others} devices besides a: few enough for IN lists, or so many that each side scans the table. */
  @ParameterizedTest
  @ValueSource(ints = {1, 300})
  void aStatusBatch_andANewGeneration_waitingForTheSameRows_bothComplete(int others) throws Exception {
    String schema = TestDatabases.newSchemaName();
    Database db = TestDatabases.freshPostgres(schema);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    // b, or b-0 to b-299: all after a, in any collation.
    List<String> rest = IntStream.range(0, others).mapToObj(i -> others == 1 ? "b" : "b-" + i).toList();
    try (Handle holder = db.jdbi().open(); Handle watcher = db.jdbi().open()) {
      JdbcDeviceStore devices = new JdbcDeviceStore(db.jdbi());
      for (String d : Stream.concat(Stream.of("a"), rest.stream()).toList()) {
        devices.upsertEnrolled(d, "nftables", List.of(), T0);
        devices.advanceDesired(d, "nftables", "r1", "d1", List.of(5L));
      }
      holder.begin();
      holder.createQuery("SELECT name FROM devices WHERE name = 'a' FOR UPDATE").mapTo(String.class).list();
      int holderPid = holder.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();

      // The new generation waits for a, before the others.
      List<Advance> advances = new ArrayList<>(List.of(new Advance("a", "nftables", "r2", "d2", List.of(5L))));
      rest.forEach(d -> advances.add(new Advance(d, "nftables", "r2", "d2", List.of(5L))));
      Future<?> advance = pool.submit(() -> devices.advanceDesired(advances));
      int advancePid = awaitBlockedBy(watcher, holderPid);
      // A batch with the others' reports and a's disconnection: were it to take the others first,
      // it would hold them while waiting for a, which the new generation takes first and then
      // waits for them.
      List<Reported> events = new ArrayList<>();
      rest.forEach(d -> events.add(new Reported(d, new ApplyReport(1, "d1", 1, ApplyReport.Outcome.APPLIED, "", T0), 3, null, T0)));
      events.add(new Reported("a", null, 0, false, T0));
      Future<?> batch = pool.submit(() -> devices.recordReports(events));
      awaitBlockedBy(watcher, advancePid);
      holder.commit();

      advance.get(30, TimeUnit.SECONDS);
      batch.get(30, TimeUnit.SECONDS);
      for (String d : rest) {
        assertEquals(List.of(2L, 1L), List.of(devices.find(d).orElseThrow().desiredGeneration(),
            devices.find(d).orElseThrow().report().appliedGeneration()), d);
      }
      assertEquals(2, devices.find("a").orElseThrow().desiredGeneration());
      assertFalse(devices.find("a").orElseThrow().connected());
    } finally {
      pool.shutdownNow();
      db.close();
      TestDatabases.dropPostgresSchema(schema);
    }
  }

  /** Waits until a session waits for a lock that session {@code pid} holds or waits for first; returns its pid. */
  private static int awaitBlockedBy(Handle watcher, int pid) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      List<Integer> blocked = watcher.createQuery("SELECT pid FROM pg_stat_activity WHERE :p = ANY(pg_blocking_pids(pid))")
          .bind("p", pid).mapTo(Integer.class).list();
      if (!blocked.isEmpty()) {
        return blocked.get(0);
      }
      if (System.nanoTime() > until) {
        throw new AssertionError("no session came to wait for session " + pid);
      }
      Thread.sleep(20);
    }
  }
}
