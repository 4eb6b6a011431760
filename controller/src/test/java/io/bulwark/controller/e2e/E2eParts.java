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
}
