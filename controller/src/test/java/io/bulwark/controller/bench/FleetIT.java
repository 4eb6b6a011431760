package io.bulwark.controller.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.cli.TokenFiles;
import io.bulwark.proto.admin.v1.Action;
import io.bulwark.proto.admin.v1.ApproveRequest;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.proto.admin.v1.ListAuditRequest;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reduced fleet in CI: 200 real agents in two simulator processes against a controller in a
 * process of its own. Checks correctness, not speed: every agent converges to the same digest;
 * the controller killed with SIGKILL right after an approval and started again loses no
 * acknowledged report; agents that were away catch up by delta when their applied rules are
 * known, and by full rules when not.
 */
class FleetIT {
  private static final int PER_WORKER = 100;
  private static final int AWAY = 20;
  private static final int FORGOTTEN = 10;

  @TempDir Path dir;
  private ControllerProcess controller;
  private final List<WorkerProcess> workers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    workers.forEach(WorkerProcess::close);
    if (controller != null) {
      controller.close();
    }
    // The logs outlive the temporary directory, for a failure to be understood.
    Path keep = Path.of("target", "fleet-it-logs");
    Files.createDirectories(keep);
    try (var logs = Files.walk(dir)) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
        Files.copy(log, keep.resolve(dir.relativize(log).toString().replace('/', '-')),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  void fleetConvergesAndSurvivesAControllerKilledMidRollout() throws Exception {
    controller = new ControllerProcess(jar("bulwark.controller.jar"), dir.resolve("controller"), "512m")
        .start(Duration.ofSeconds(60));
    List<Path> workerDirs = List.of(dir.resolve("w1"), dir.resolve("w2"));
    try (AdminClient admin = AdminClient.open(controller.dataDir())) {
      int n = 0;
      for (Path w : workerDirs) {
        Files.createDirectories(w.resolve("tokens"));
        for (int i = 0; i < PER_WORKER; i++, n++) {
          String name = String.format("fleet-%04d", n);
          TokenFiles.write(w.resolve("tokens").resolve(name + ".token"), admin.stub().createEnrollmentToken(
              CreateEnrollmentTokenRequest.newBuilder().setDevice(name).setTarget("nftables").addTags("fleet").build()));
        }
      }
    }
    for (Path w : workerDirs) {
      workers.add(WorkerProcess.start(jar("bulwark.agent.jar"), java.util.Optional.empty(), w, controller.agentAddress(), PER_WORKER,
          Duration.ofSeconds(60), 0, FleetBench.toAllBytes(300, 20, 1), FleetBench.ruleSetBytes(300, 20, 1)));
    }
    awaitConnected(2 * PER_WORKER);

    // Generation one, in full to everyone.
    String first = approve(FleetBundles.ipv4(0, 300));
    for (WorkerProcess w : workers) {
      String reply = w.ask("await " + first + " " + System.currentTimeMillis() + " 120");
      assertTrue(reply.startsWith("converged n=" + PER_WORKER), reply);
    }
    assertAllCompliant(first);

    // Every agent got the same bundles so far (the empty rule set at enrollment, then this one).
    long[] before1 = counts(workers.get(0));
    long[] before2 = counts(workers.get(1));
    assertEquals(0, before1[0] % PER_WORKER);
    assertEquals(0, before1[1] % PER_WORKER);
    long deltaEach = before1[0] / PER_WORKER;
    long fullEach = before1[1] / PER_WORKER;

    // Some agents go away; some of those lose what they had applied.
    WorkerProcess w1 = workers.get(0);
    assertEquals("stopped " + AWAY, w1.ask("stop " + AWAY));
    assertEquals("forgot " + FORGOTTEN, w1.ask("forget " + FORGOTTEN));

    // A small change, and the controller dies while it is rolling out.
    String second = approve(FleetBundles.ipv4(300, 20));
    controller.kill();
    controller.start(Duration.ofSeconds(60));
    assertEquals("started " + AWAY, w1.ask("start"));

    for (WorkerProcess w : workers) {
      String reply = w.ask("await " + second + " " + System.currentTimeMillis() + " 180");
      assertTrue(reply.startsWith("converged n=" + PER_WORKER), reply);
    }
    // Every report acknowledged means every report stored: the outboxes drain.
    for (WorkerProcess w : workers) {
      List<String> agents = awaitDrained(w);
      for (String line : agents) {
        assertTrue(line.contains(" digest " + second + " unacked 0"), line);
      }
    }
    assertAllCompliant(second);
    assertEveryApplicationAudited(second);

    // The small change went as a delta to every agent whose applied rules were known: all that
    // stayed, and the 10 that came back with their rules; the 10 that lost them got full rules.
    // (Counts restart with each agent instance.)
    int stayed = PER_WORKER - AWAY;
    long[] after1 = counts(w1);
    assertEquals(stayed * (deltaEach + 1) + (AWAY - FORGOTTEN), after1[0], "deltas in the first worker");
    assertEquals(stayed * fullEach + FORGOTTEN, after1[1], "full rule sets in the first worker");
    long[] after2 = counts(workers.get(1));
    assertEquals(before2[0] + PER_WORKER, after2[0], "deltas in the second worker");
    assertEquals(before2[1], after2[1], "full rule sets in the second worker");
  }

  private static long[] counts(WorkerProcess w) throws Exception {
    String reply = w.ask("counts");
    assertTrue(reply.matches("counts delta=\\d+ full=\\d+"), reply);
    return new long[] {
      Long.parseLong(reply.replaceAll(".*delta=(\\d+).*", "$1")), Long.parseLong(reply.replaceAll(".*full=(\\d+).*", "$1"))
    };
  }

  /** Ingests the batch, approves it for all devices, returns the one digest every device should get. */
  private String approve(FleetBundles.Batch batch) throws Exception {
    try (AdminClient admin = AdminClient.open(controller.dataDir())) {
      var ingested = admin.stub().ingest(
          IngestRequest.newBuilder().setSource("fleet test").setBundleJson(ByteString.copyFrom(batch.json())).build());
      assertEquals(batch.indicatorIds().size(), ingested.getStored(), ingested.toString());
      admin.stub().approve(ApproveRequest.newBuilder().addAllIndicatorIds(batch.indicatorIds())
          .setAction(Action.ACTION_BLOCK).setScope("all").setReason("fleet test").build());
      Set<String> desired = statuses(admin).stream().map(DeviceStatus::getDesiredDigest).collect(Collectors.toSet());
      assertEquals(1, desired.size(), "devices with the same inputs share one rule set: " + desired);
      return desired.iterator().next();
    }
  }

  private void assertAllCompliant(String digest) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<DeviceStatus> lagging;
    do {
      try (AdminClient admin = AdminClient.open(controller.dataDir())) {
        lagging = statuses(admin).stream()
            .filter(d -> !d.getState().equals("compliant") || !d.getAppliedDigest().equals(digest)).toList();
      }
      if (!lagging.isEmpty()) {
        Thread.sleep(200);
      }
    } while (!lagging.isEmpty() && System.nanoTime() < deadline);
    assertTrue(lagging.isEmpty(), lagging.size() + " devices not compliant with " + digest + ", e.g. "
        + (lagging.isEmpty() ? "" : lagging.get(0)));
  }

  /** Each device's application of the digest is in the audit log exactly once. */
  private void assertEveryApplicationAudited(String digest) throws Exception {
    Set<String> seen = new HashSet<>();
    Set<String> refusedDelta = new HashSet<>();
    int entries = 0;
    try (AdminClient admin = AdminClient.open(controller.dataDir())) {
      long after = 0;
      while (true) {
        var page = admin.stub().listAudit(ListAuditRequest.newBuilder().setAfterSequence(after).setLimit(1000).build());
        if (page.getEntriesCount() == 0) {
          break;
        }
        for (var e : page.getEntriesList()) {
          if (e.getAction().equals("device.applied") && e.getDetails().endsWith("digest " + digest)) {
            seen.add(e.getSubject());
            entries++;
          }
          if (e.getAction().equals("device.failed") && e.getDetails().contains("delta from generation")) {
            refusedDelta.add(e.getSubject());
          }
          after = e.getSequence();
        }
      }
    }
    assertEquals(2 * PER_WORKER, seen.size(), "devices with an audited application");
    assertEquals(2 * PER_WORKER, entries, "one audit entry per device");
    // Only the agents that lost their applied rules refused a delta; no agent failed otherwise.
    assertEquals(FORGOTTEN, refusedDelta.size(), "agents that refused a delta: " + refusedDelta);
  }

  private List<String> awaitDrained(WorkerProcess w) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<String> agents = w.askLines("final", "end");
      if (agents.stream().allMatch(l -> l.endsWith(" unacked 0")) || System.nanoTime() > deadline) {
        return agents;
      }
      Thread.sleep(200);
    }
  }

  private static List<DeviceStatus> statuses(AdminClient admin) {
    return admin.stub().listDeviceStatus(ListDeviceStatusRequest.getDefaultInstance()).getDevicesList();
  }

  private void awaitConnected(int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    int connected = 0;
    while (System.nanoTime() < deadline) {
      connected = 0;
      for (WorkerProcess w : workers) {
        String status = w.ask("status");
        connected += Integer.parseInt(status.replaceAll(".* connected=(\\d+).*", "$1"));
      }
      if (connected == expected) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(connected + " of " + expected + " agents connected");
  }

  private static Path jar(String property) {
    Path jar = Path.of(System.getProperty(property, "missing"));
    assertTrue(Files.isRegularFile(jar), property + " not built: " + jar);
    return jar;
  }
}
