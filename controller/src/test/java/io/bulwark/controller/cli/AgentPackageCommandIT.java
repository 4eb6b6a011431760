package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bulwark agent-package} against a running controller. */
class AgentPackageCommandIT {
  @TempDir Path dir;

  @Test
  void agentPackage_writesTheJarConfigTokenUnitAndScripts_forTheRunningController() throws Exception {
    Path data = dir.resolve("controller");
    Path jar = Files.writeString(dir.resolve("agent.jar"), "jar");
    try (ControllerMain controller = new ControllerMain(
        new ControllerConfig(data, new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
            null, List.of(), Duration.ofDays(1)), Clock.systemUTC()).start()) {
      Path out = dir.resolve("pkg");

      int exit = run("agent-package", "--device", "web-1", "--kind", "dry-run", "--tags", "edge",
          "--out", out.toString(), "--agent-jar", jar.toString(), "--data-dir", data.toString());

      assertEquals(0, exit);
      String token = Files.readString(out.resolve("enroll.token"));
      assertTrue(token.contains("device=web-1\n") && token.matches("(?s).*token=[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}\n.*"), token);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("enroll.token"))));
      String env = Files.readString(out.resolve("agent.env"));
      assertTrue(env.contains("BULWARK_APPLIER=dry-run\n"), env);
      assertTrue(env.contains("BULWARK_CONTROLLER=127.0.0.1:" + controller.agentAddress().getPort() + "\n"), env);
      assertTrue(env.contains("BULWARK_CA_PIN=sha256:"), env);
      for (String f : List.of("bulwark-agent.jar", "bulwark-agent.service", "install.sh", "uninstall.sh", "README")) {
        assertTrue(Files.isRegularFile(out.resolve(f)), f);
      }
    }
  }

  @Test
  void fileKind_carriesItsTargetDirectoryAndCommands() throws Exception {
    Path data = dir.resolve("controller");
    Path jar = Files.writeString(dir.resolve("agent.jar"), "jar");
    try (ControllerMain controller = new ControllerMain(
        new ControllerConfig(data, new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
            null, List.of(), Duration.ofDays(1)), Clock.systemUTC()).start()) {
      Path out = dir.resolve("pkg");

      int exit = run("agent-package", "--device", "scan-1", "--kind", "file", "--file-target", "yara",
          "--file-dir", "/srv/yara", "--file-check", "yara -w {file} /dev/null", "--out", out.toString(),
          "--agent-jar", jar.toString(), "--data-dir", data.toString());

      assertEquals(0, exit);
      String env = Files.readString(out.resolve("agent.env"));
      assertTrue(env.contains("BULWARK_APPLIER=file\n"), env);
      assertTrue(env.contains("BULWARK_CONTROLLER=127.0.0.1:" + controller.agentAddress().getPort() + "\n"), env);
      assertTrue(env.contains("BULWARK_FILE_TARGET=yara\nBULWARK_FILE_DIR=/srv/yara\n"
          + "BULWARK_FILE_CHECK=\"yara -w {file} /dev/null\"\n"), env);
    }
  }

  @Test
  void fileKindWithoutTarget_orFileOptionsWithAnotherKind_isBadUsage() {
    assertEquals(2, run("agent-package", "--device", "web-1", "--kind", "file", "--out", dir.resolve("p").toString(),
        "--data-dir", dir.toString()));
    assertEquals(2, run("agent-package", "--device", "web-1", "--kind", "nftables", "--file-dir", "/srv",
        "--out", dir.resolve("p").toString(), "--data-dir", dir.toString()));
  }

  private static int run(String... args) {
    CommandLine cli = BulwarkCli.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(new StringWriter()));
    return cli.execute(args);
  }
}
