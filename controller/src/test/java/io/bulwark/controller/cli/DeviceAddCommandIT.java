package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.ssh.HostKeys;
import io.bulwark.controller.ssh.sim.JunosSimulator;
import io.bulwark.controller.ssh.sim.TestKeys;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import io.bulwark.rules.testing.StixFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code bulwark device add} end to end: a real controller, the CLI, and simulated Junos devices on
 * MINA SSHD. A host key given as a fingerprint is pinned on first contact only if it matches; a
 * password file logs in; what cannot be read or does not match is refused clearly, and no secret
 * reaches a log line or the CLI's output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceAddCommandIT {
  private static final String PASSWORD = "c0rrect-h0rse-" + Long.toHexString(System.nanoTime());
  private Path work;
  private ControllerMain controller;
  private KeyPair clientKey;
  private JunosSimulator keyDevice;
  private JunosSimulator passwordDevice;
  private Path keyFile;

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory("bulwark-device-add-");
    controller = new ControllerMain(new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)),
        MutableClock.at("2026-12-04T10:00:00Z")).start();
    clientKey = JunosSimulator.newKeyPair();
    keyDevice = new JunosSimulator("netops", clientKey.getPublic(), Duration.ofSeconds(30));
    passwordDevice = new JunosSimulator("netops", null, PASSWORD, Duration.ofSeconds(30));
    keyFile = work.resolve("netops.key");
    Files.write(keyFile, TestKeys.openSshPrivateKey(clientKey));
  }

  @AfterAll
  void stop() throws Exception {
    if (controller != null) {
      controller.close();
    }
    keyDevice.close();
    passwordDevice.close();
    io.bulwark.controller.cli.demo.Demo.deleteTree(work);
  }

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      var cli = BulwarkCli.commandLine();
      StringWriter err = new StringWriter();
      cli.setErr(new PrintWriter(err));
      String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--data-dir", work.toString())).toArray(String[]::new);
      int exit = cli.execute(full);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(saved);
    }
  }

  @Test
  void fingerprintToConfirm_pinsOnlyTheMatchingKey_passwordFileLogsIn_andNoSecretIsLogged() throws Exception {
    var logs = TestKeys.captureLogs();
    List<String> lines;
    Map<String, DeviceStatus> status;
    Path passwordFile = work.resolve("mx-pw.password");
    Files.writeString(passwordFile, PASSWORD + "\n");
    Path wrongPasswordFile = work.resolve("mx-badpw.password");
    Files.writeString(wrongPasswordFile, PASSWORD + "-not\n");
    String right = HostKeys.fingerprint(keyDevice.hostKey());
    String wrong = HostKeys.fingerprint(JunosSimulator.newKeyPair().getPublic());
    try {
      Run ok = add("mx-ok", keyDevice, "--key-file", keyFile.toString(), "--confirm-host-key", right);
      assertEquals(0, ok.exit(), ok.err());
      assertTrue(ok.out().contains("host key " + right + " will be pinned on first contact"), ok.out());
      Run bad = add("mx-bad", keyDevice, "--key-file", keyFile.toString(), "--confirm-host-key", wrong);
      assertEquals(0, bad.exit(), bad.err());
      Run pw = add("mx-pw", passwordDevice, "--password-file", passwordFile.toString(), "--host-key", passwordDevice.hostKeyText());
      assertEquals(0, pw.exit(), pw.err());
      assertTrue(pw.out().contains(" pinned"), pw.out());
      Run badPw = add("mx-badpw", passwordDevice, "--password-file", wrongPasswordFile.toString(),
          "--host-key", passwordDevice.hostKeyText());
      assertEquals(0, badPw.exit(), badPw.err());
      for (Run r : List.of(ok, bad, pw, badPw)) {
        assertFalse(r.out().contains(PASSWORD) || r.err().contains(PASSWORD), "password in the CLI's output");
      }

      try (AdminClient admin = AdminClient.open(work)) {
        admin.stub().ingest(IngestRequest.newBuilder().setSource("it").setBundleJson(ByteString.copyFromUtf8(
            StixFixtures.bundleOfJson(List.of(StixFixtures.indicator(1, "[ipv4-addr:value = '203.0.113.44']"))))).build());
      }
      Run approve = run("approve", StixFixtures.indicatorId(1), "--action", "block", "--scope", "all", "--expires", "30d");
      assertEquals(0, approve.exit(), approve.err());

      status = waitFor(s -> state(s, "mx-ok").equals("compliant") && state(s, "mx-pw").equals("compliant")
          && state(s, "mx-bad").equals("failed") && state(s, "mx-badpw").equals("failed"));
    } finally {
      lines = TestKeys.stop(logs);
    }
    assertTrue(keyDevice.running().stream().anyMatch(l -> l.contains("203.0.113.44/32")), keyDevice.running().toString());
    assertTrue(passwordDevice.running().stream().anyMatch(l -> l.contains("203.0.113.44/32")), "pushed with the password");
    String refused = status.get("mx-bad").getError();
    assertTrue(refused.contains("presented host key " + right) && refused.contains(wrong + " was to be confirmed; refusing"), refused);
    assertTrue(lines.stream().anyMatch(l -> l.contains("mx-ok: host key " + right + " confirmed on first contact and pinned")),
        String.join("\n", lines));
    assertTrue(lines.stream().noneMatch(l -> l.contains("mx-bad: host key") && l.contains("pinned")), "the wrong key is never pinned");
    String badPassword = status.get("mx-badpw").getError();
    assertTrue(badPassword.contains("authentication failed") && !badPassword.contains(PASSWORD), badPassword);
    assertNoSecret(lines);
  }

  @Test
  void passwordFileUnreadable_isRefusedBeforeAnythingIsSent_namingTheFile() throws Exception {
    Path missing = work.resolve("no-such.password");
    Run r = add("mx-missing", keyDevice, "--password-file", missing.toString(), "--host-key", keyDevice.hostKeyText());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("cannot read --password-file " + missing + ": no such file"), r.err());
    Path directory = Files.createDirectories(work.resolve("a-directory"));
    r = add("mx-missing", keyDevice, "--password-file", directory.toString(), "--host-key", keyDevice.hostKeyText());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("cannot read --password-file " + directory), r.err());
    Path empty = Files.writeString(work.resolve("empty.password"), "\n");
    r = add("mx-missing", keyDevice, "--password-file", empty.toString(), "--host-key", keyDevice.hostKeyText());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--password-file " + empty + " is empty"), r.err());
    assertTrue(run("status").out().lines().noneMatch(l -> l.contains("mx-missing")), "nothing was registered");
  }

  @Test
  void badFingerprintOrNoHostKey_isBadUsage() {
    Run r = add("mx-x", keyDevice, "--key-file", keyFile.toString(), "--confirm-host-key", "SHA256:short");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--confirm-host-key must be SHA256: and 43 base64 characters"), r.err());
    r = add("mx-x", keyDevice, "--key-file", keyFile.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--host-key") && r.err().contains("--confirm-host-key"), r.err());
    r = add("mx-x", keyDevice, "--key-file", keyFile.toString(), "--host-key", keyDevice.hostKeyText(),
        "--confirm-host-key", HostKeys.fingerprint(keyDevice.hostKey()));
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("mutually exclusive"), r.err());
    r = add("mx-x", keyDevice, "--host-key", keyDevice.hostKeyText());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("give --key-file, --password-file or both"), r.err());
  }

  private Run add(String name, JunosSimulator device, String... options) {
    List<String> args = new ArrayList<>(List.of("device", "add", name, "--ssh", "127.0.0.1:" + device.port(),
        "--platform", "junos", "--user", "netops"));
    args.addAll(List.of(options));
    return run(args.toArray(String[]::new));
  }

  private Map<String, DeviceStatus> waitFor(Predicate<Map<String, DeviceStatus>> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Map<String, DeviceStatus> now;
      try (AdminClient admin = AdminClient.open(work)) {
        now = admin.stub().listDeviceStatus(ListDeviceStatusRequest.getDefaultInstance()).getDevicesList().stream()
            .collect(Collectors.toMap(DeviceStatus::getDevice, d -> d));
      }
      if (done.test(now)) {
        return now;
      }
      assertTrue(System.nanoTime() < deadline, "devices did not settle: " + now);
      Thread.sleep(200);
    }
  }

  private static String state(Map<String, DeviceStatus> status, String device) {
    DeviceStatus d = status.get(device);
    return d == null ? "" : d.getState();
  }

  private void assertNoSecret(List<String> lines) throws Exception {
    List<String> secrets = new ArrayList<>(List.of(PASSWORD));
    Files.readString(keyFile).lines().filter(l -> !l.startsWith("-----") && l.length() > 16)
        .forEach(l -> secrets.add(l.substring(0, 16)));
    assertTrue(secrets.size() > 1);
    for (String line : lines) {
      assertFalse(line.contains("PRIVATE KEY"), line);
      secrets.forEach(s -> assertFalse(line.contains(s), "secret in log line: " + line));
    }
  }
}
