package io.bulwark.controller.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.demo.TestNetwork;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleGenerator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** What the end-to-end tests share: the built agent jar and a controller on the test LAN's gateway. */
final class E2eParts {
  private E2eParts() {}

  /** The agent jar Maven built for this run; fails when it is missing. */
  static Path agentJar() {
    Path jar = Path.of(System.getProperty("bulwark.agent.jar", "missing"));
    assertTrue(Files.isRegularFile(jar), "agent jar not built: " + jar);
    return jar;
  }

  /** A controller listening on the network's gateway (port 0), using only {@code generator}. */
  static ControllerMain controllerOn(TestNetwork net, Path dataDir, RuleGenerator generator) {
    return new ControllerMain(
        new ControllerConfig(dataDir, new InetSocketAddress(net.gatewayAddress(), 0), new InetSocketAddress("127.0.0.1", 0),
            null, List.of(), Duration.ofDays(1)),
        Clock.systemUTC(), new GeneratorRegistry(List.of(generator))).start();
  }

  /** The address agents on the network dial. */
  static String agentAddress(TestNetwork net, ControllerMain controller) {
    return net.gatewayAddress() + ":" + controller.agentAddress().getPort();
  }

  /** Closes each part, going on past failures: the namespaces must go whatever else failed. */
  static void closeAll(AutoCloseable... parts) {
    for (AutoCloseable part : parts) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        // Go on with the next part.
      }
    }
  }

  /** Ingests {@code bundle} and asserts that nothing in it was rejected. */
  static void ingest(io.bulwark.controller.cli.AdminClient admin, String bundle) {
    var r = admin.stub().ingest(io.bulwark.proto.admin.v1.IngestRequest.newBuilder().setSource("test")
        .setBundleJson(com.google.protobuf.ByteString.copyFrom(bundle, java.nio.charset.StandardCharsets.UTF_8)).build());
    org.junit.jupiter.api.Assertions.assertEquals(0, r.getRejectedCount(), r.getRejectedList().toString());
  }

  /** Approves every indicator still new as one block countermeasure for all devices. */
  static void approveAllNew(io.bulwark.controller.cli.AdminClient admin) {
    var ids = admin.stub().listIndicators(io.bulwark.proto.admin.v1.ListIndicatorsRequest.getDefaultInstance())
        .getIndicatorsList().stream().filter(i -> i.getStatus().equals("new")).map(i -> i.getId()).toList();
    admin.stub().approve(io.bulwark.proto.admin.v1.ApproveRequest.newBuilder().addAllIndicatorIds(ids)
        .setAction(io.bulwark.proto.admin.v1.Action.ACTION_BLOCK).setScope("all").build());
  }
}
