package io.bulwark.controller.cli.demo;

import com.google.protobuf.ByteString;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.proto.admin.v1.Action;
import io.bulwark.proto.admin.v1.ApproveRequest;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.proto.admin.v1.IngestResponse;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import io.bulwark.proto.admin.v1.ListIndicatorsRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The whole flow on one machine with real parts: a controller on embedded H2, two hosts in
 * network namespaces each running a real agent with real nftables, a STIX bundle ingested and
 * approved, status converging live, and the block proven with real TCP connections.
 * Everything it creates is removed by {@link #close()}, which a shutdown hook also calls.
 */
public final class Demo implements AutoCloseable {
  static final String BUNDLE = "/demo/wannacry-cve-2017-0144.json";
  static final int BLOCKED_PORT = 445;
  static final int CONTROL_PORT = 8080;
  static final String BLOCKED_SOURCE = "198.51.100.7";
  private static final List<String> HOSTS = List.of("host-a", "host-b");
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  private final Path agentJar;
  private final PrintStream out;
  private final boolean terminal;
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final List<AgentProcess> agents = new ArrayList<>();
  private Path workDir;
  private boolean closed;

  public Demo(Path agentJar, PrintStream out, boolean terminal) {
    this.agentJar = agentJar;
    this.out = out;
    this.terminal = terminal;
  }

  /** Runs the demo; returns true when every check passed. */
  public boolean run() throws InterruptedException {
    workDir = tempDir();
    step("1/7", "controller on embedded H2 in " + workDir);
    TestNetwork net = new TestNetwork(TestNetwork.processPrefix("bwd"), 200 + (int) (ProcessHandle.current().pid() % 50));
    cleanup.add(net);
    net.start();
    for (String h : HOSTS) {
      net.addHost(h);
    }
    Path controllerDir = workDir.resolve("controller");
    ControllerMain controller =
        new ControllerMain(
                new ControllerConfig(controllerDir, new InetSocketAddress(net.gatewayAddress(), 0),
                    new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)),
                Clock.systemUTC())
            .start();
    cleanup.add(controller);
    // Added after the controller started: an address of the controller's own host would be
    // refused by the guard rails, and rightly so.
    net.addRootAddress(BLOCKED_SOURCE);
    String controllerAddress = net.gatewayAddress() + ":" + controller.agentAddress().getPort();

    step("2/7", "two hosts in network namespaces on bridge " + net.bridge() + ", one agent each");
    try (AdminClient admin = AdminClient.open(controllerDir)) {
      for (String h : HOSTS) {
        startListener(net.namespace(h));
        Path dir = Files.createDirectories(workDir.resolve(h));
        Path token = dir.resolve("token");
        var r = admin.stub().createEnrollmentToken(CreateEnrollmentTokenRequest.newBuilder().setDevice(h)
            .addTags("perimeter").setTtlSeconds(600).build());
        io.bulwark.controller.cli.TokenFiles.write(token, r);
        AgentProcess agent = AgentProcess.start(net.namespace(h), agentJar, controllerAddress, token, dir.resolve("agent"),
            dir.resolve("agent.log"));
        agents.add(agent);
        cleanup.add(agent);
        out.printf("    %s at %s (namespace %s), agent pid %d%n", h, net.address(h), net.namespace(h), agent.pid());
      }

      step("3/7", "agents enroll with one-time tokens and hold an mTLS stream");
      if (!await(admin, "compliant", d -> d.getDesiredGeneration() >= 1)) {
        return false;
      }
      List<Check> before = probe(net, false);

      step("4/7", "ingest " + BUNDLE.substring(BUNDLE.lastIndexOf('/') + 1));
      IngestResponse ingested =
          admin.stub().ingest(IngestRequest.newBuilder().setSource("demo").setBundleJson(ByteString.copyFrom(bundle())).build());
      out.printf("    %d indicators stored, %d other objects, %d rejected%n", ingested.getStored(),
          ingested.getOtherObjects(), ingested.getRejectedCount());
      List<String> ids = new ArrayList<>();
      for (var i : admin.stub().listIndicators(ListIndicatorsRequest.getDefaultInstance()).getIndicatorsList()) {
        out.printf("    %-12s %s  %s%n", i.getStatus(), i.getName(), i.getDetail().isEmpty() ? "" : "(" + i.getDetail() + ")");
        if (!i.getStatus().equals("unsupported")) {
          ids.add(i.getId());
        }
      }

      step("5/7", "approve " + ids.size() + " indicators as a block countermeasure for all devices");
      long approvedAt = System.nanoTime();
      var approved = admin.stub().approve(ApproveRequest.newBuilder().addAllIndicatorIds(ids).setAction(Action.ACTION_BLOCK)
          .setScope("all").setExpiresInSeconds(Duration.ofDays(30).toSeconds()).setReason("CVE-2017-0144 / WannaCry").build());
      out.printf("    countermeasure %d: %d devices get generation 2%n", approved.getCountermeasureId(), approved.getDevicesCount());

      step("6/7", "status converging");
      if (!await(admin, "compliant", d -> d.getDesiredGeneration() >= 2)) {
        return false;
      }
      long convergedMillis = (System.nanoTime() - approvedAt) / 1_000_000;

      step("7/7", "prove it with real traffic");
      List<Check> after = probe(net, true);
      var audit = admin.stub().verifyAudit(io.bulwark.proto.admin.v1.VerifyAuditRequest.getDefaultInstance());
      var compliance = admin.stub().complianceReport(io.bulwark.proto.admin.v1.ComplianceReportRequest.getDefaultInstance());
      out.printf("    audit log: %s, %d entries; compliance report: %d of %d devices compliant with countermeasure %d%n",
          audit.getIntact() ? "intact" : "BROKEN", audit.getEntriesChecked(),
          compliance.getCountermeasures(0).getDevicesCompliant(), compliance.getCountermeasures(0).getDevicesInScope(),
          compliance.getCountermeasures(0).getCountermeasureId());
      boolean ok = report(before, after, audit.getIntact());
      out.printf("%nfigures: approval to all compliant %d ms; agent RSS %s%n", convergedMillis,
          agents.stream().map(a -> a.rssKib() / 1024 + " MiB").toList());
      return ok;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean await(AdminClient admin, String state, Function<DeviceStatus, Boolean> condition) throws InterruptedException {
    LiveTable table = new LiveTable(out, terminal);
    long start = System.nanoTime();
    long deadline = start + CONVERGE.toNanos();
    while (System.nanoTime() < deadline) {
      List<DeviceStatus> devices =
          admin.stub().listDeviceStatus(ListDeviceStatusRequest.getDefaultInstance()).getDevicesList();
      table.show(String.format("    %5.1f s", (System.nanoTime() - start) / 1e9), StatusTable.render(devices));
      boolean done = devices.size() == HOSTS.size()
          && devices.stream().allMatch(d -> d.getState().equals(state) && condition.apply(d));
      if (done) {
        table.finish();
        return true;
      }
      for (AgentProcess a : agents) {
        if (!a.isAlive()) {
          out.println("an agent exited; its log ends with:\n" + a.tail(15));
          return false;
        }
      }
      Thread.sleep(200);
    }
    out.println("devices did not reach '" + state + "' within " + CONVERGE.toSeconds() + " s; agent logs end with:");
    agents.forEach(a -> out.println(a.tail(10)));
    return false;
  }

  /** One traffic check: what was tried, what was expected, what happened. */
  record Check(String what, boolean expectConnect, boolean connected) {
    boolean passed() {
      return expectConnect == connected;
    }
  }

  private List<Check> probe(TestNetwork net, boolean blocked) {
    List<Check> checks = new ArrayList<>();
    for (String h : HOSTS) {
      String addr = net.address(h);
      checks.add(new Check(h + " tcp/" + BLOCKED_PORT, !blocked, TcpProbe.connects(null, addr, BLOCKED_PORT, 1500)));
      checks.add(new Check(h + " tcp/" + CONTROL_PORT, true, TcpProbe.connects(null, addr, CONTROL_PORT, 1500)));
      checks.add(new Check(h + " tcp/" + CONTROL_PORT + " from " + BLOCKED_SOURCE, !blocked,
          TcpProbe.connects(BLOCKED_SOURCE, addr, CONTROL_PORT, 1500)));
    }
    return checks;
  }

  private boolean report(List<Check> before, List<Check> after, boolean auditIntact) {
    boolean ok = auditIntact;
    out.printf("    %-36s %-18s %-18s%n", "connection", "before approval", "after approval");
    for (int i = 0; i < after.size(); i++) {
      Check b = before.get(i);
      Check a = after.get(i);
      ok &= a.passed() && b.passed();
      out.printf("    %-36s %-18s %-18s %s%n", a.what(), word(b.connected()), word(a.connected()),
          a.passed() && b.passed() ? "ok" : "UNEXPECTED");
    }
    out.println(ok ? "\ndemo passed: the countermeasure is in place on every device" : "\ndemo FAILED");
    return ok;
  }

  private static String word(boolean connected) {
    return connected ? "connects" : "blocked";
  }

  private void startListener(String namespace) {
    Process p = PortListener.startIn(namespace, BLOCKED_PORT, CONTROL_PORT);
    cleanup.add(p::destroyForcibly);
  }

  private void step(String n, String text) {
    out.println();
    out.println("[" + n + "] " + text);
  }

  private static byte[] bundle() throws IOException {
    try (InputStream in = Demo.class.getResourceAsStream(BUNDLE)) {
      if (in == null) {
        throw new BulwarkException("the demo bundle " + BUNDLE + " is missing from the jar");
      }
      return in.readAllBytes();
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("bulwark-demo-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes everything the demo created, last created first. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      try {
        cleanup.get(i).close();
      } catch (Exception e) {
        out.println("cleanup: " + e.getMessage());
      }
    }
    if (workDir != null) {
      deleteTree(workDir);
    }
  }

  public static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a temp directory left behind is reported by nothing else.
    }
  }
}
