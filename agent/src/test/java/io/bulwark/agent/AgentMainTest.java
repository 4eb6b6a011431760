package io.bulwark.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.TestPki;
import io.bulwark.agent.testing.TokenFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentMainTest {

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  @Test
  void help_printsUsage_andExitsZero() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("Usage: bulwark agent"), out.toString());
    assertTrue(out.toString().contains("--token-file=FILE"), out.toString());
  }

  @Test
  void missingDataDir_isUsageError() {
    assertEquals(2, run("--controller", "ctl:7443"));
    assertTrue(
        err.toString().startsWith("bulwark agent: Missing required option: '--data-dir=DIR'"),
        err.toString());
  }

  @Test
  void notEnrolled_withoutTokenFile_isUsageError() {
    assertEquals(2, run("--data-dir", dir.resolve("data").toString(), "--controller", "ctl:7443"));
    assertTrue(err.toString().contains("--token-file is required"), err.toString());
  }

  @Test
  void missingTokenFile_isUsageError() {
    Path token = dir.resolve("absent.token");

    assertEquals(
        2, run("--data-dir", dir.resolve("data").toString(), "--token-file", token.toString()));
    assertEquals("bulwark agent: token file " + token + " does not exist\n", err.toString());
  }

  @Test
  void badControllerAddress_isUsageError() throws Exception {
    Path token = TokenFiles.write(dir, "web-01", "a.b", TestPki.create("CA").pin(), null);

    assertEquals(
        2,
        run(
            "--data-dir",
            dir.resolve("data").toString(),
            "--token-file",
            token.toString(),
            "--controller",
            "ctl"));
    assertEquals(
        "bulwark agent: bad controller address 'ctl': expected HOST:PORT\n", err.toString());
  }

  @Test
  void unknownApplier_isUsageError() throws Exception {
    Path token = TokenFiles.write(dir, "web-01", "a.b", TestPki.create("CA").pin(), "ctl:1");

    assertEquals(
        2,
        run(
            "--data-dir",
            dir.resolve("data").toString(),
            "--token-file",
            token.toString(),
            "--applier",
            "ebtables"));
    assertTrue(
        err.toString().contains("--applier must be nftables, iptables, file or dry-run, not 'ebtables'"),
        err.toString());
  }

  @Test
  void fileApplier_needsATargetAndAnExistingDirectory() throws Exception {
    Path token = TokenFiles.write(dir, "web-01", "a.b", TestPki.create("CA").pin(), "ctl:1");
    String data = dir.resolve("data").toString();
    String tokenFile = token.toString();

    assertEquals(2, run("--data-dir", data, "--token-file", tokenFile, "--applier", "file"));
    assertTrue(err.toString().contains("--applier file needs --file-target"), err.toString());
    assertEquals(
        2,
        run("--data-dir", data, "--token-file", tokenFile, "--applier", "file", "--file-target", "snort"));
    assertTrue(err.toString().contains("--file-target must be suricata, yara, rpz or clamav, not 'snort'"));
    assertEquals(
        2,
        run("--data-dir", data, "--token-file", tokenFile, "--applier", "file", "--file-target", "yara",
            "--file-dir", dir.resolve("absent").toString()));
    assertTrue(err.toString().contains("--file-dir " + dir.resolve("absent") + " is not a directory"));
    assertEquals(
        2,
        run("--data-dir", data, "--token-file", tokenFile, "--file-check", "yara {file} /dev/null"));
    assertTrue(err.toString().contains("--file-check needs --applier file"), err.toString());
  }

  @Test
  void fileApplier_reportsItsTargetAsItsKind() throws Exception {
    Path token = TokenFiles.write(dir, "web-01", "a.b", TestPki.create("CA").pin(), "ctl:1");
    AgentMain main = new AgentMain();
    new CommandLine(main)
        .parseArgs(
            "--data-dir", dir.resolve("data").toString(), "--token-file", token.toString(),
            "--applier", "file", "--file-target", "rpz", "--file-dir", dir.toString(),
            "--file-check", "named-checkzone rpz.bulwark {file}", "--file-reload", "");

    assertEquals("rpz", main.config(java.time.Clock.systemUTC()).applier().kind());
  }

  @Test
  void badConfirmWindowOrDriftPolicy_isUsageError_namingTheOption() throws Exception {
    Path token = TokenFiles.write(dir, "web-01", "a.b", TestPki.create("CA").pin(), "ctl:1");
    String data = dir.resolve("data").toString();

    assertEquals(
        2, run("--data-dir", data, "--token-file", token.toString(), "--confirm-window", "soon"));
    assertTrue(err.toString().contains("--confirm-window must be a number"), err.toString());
    assertEquals(
        2, run("--data-dir", data, "--token-file", token.toString(), "--drift-policy", "ignore"));
    assertTrue(
        err.toString().contains("--drift-policy must be report or correct, not 'ignore'"),
        err.toString());
  }

  @Test
  void durations_acceptPlainSecondsAndUnits() {
    assertEquals(java.time.Duration.ofSeconds(90), AgentMain.duration("--x", "90"));
    assertEquals(java.time.Duration.ofMillis(500), AgentMain.duration("--x", "500ms"));
    assertEquals(java.time.Duration.ofMinutes(2), AgentMain.duration("--x", "2m"));
    assertEquals(java.time.Duration.ofHours(24), AgentMain.duration("--x", "24h"));
    assertEquals(java.time.Duration.ZERO, AgentMain.duration("--x", "0"));
  }

  @Test
  void enrolled_passesTheTokenFileOnAsNamed_forEnrollingAgainOnceExpired_whetherOrNotItIsThereNow() throws Exception {
    var data = new io.bulwark.agent.host.DataDir(dir.resolve("data"));
    data.prepare();
    for (Path f : List.of(data.certificate(), data.privateKey(), data.caCertificate())) {
      java.nio.file.Files.writeString(f, "enrolled");
    }
    data.rememberController(new io.bulwark.agent.config.HostPort("ctl", 7443));
    Path token = TokenFiles.write(dir, "web-01", "a.b", TestPki.create("CA").pin(), null);

    assertEquals(token, config("--data-dir", data.root().toString(), "--token-file", token.toString()).tokenFile());
    // Read only once the certificate has expired (AgentTlsIT): a file gone by now is no error here.
    assertEquals(dir.resolve("gone"), config("--data-dir", data.root().toString(), "--token-file",
        dir.resolve("gone").toString()).tokenFile());
  }

  private static io.bulwark.agent.config.AgentConfig config(String... args) {
    AgentMain main = new AgentMain();
    new CommandLine(main).parseArgs(args);
    return main.config(java.time.Clock.systemUTC());
  }

  private int run(String... args) {
    CommandLine commandLine = AgentMain.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(out, true));
    return commandLine.execute(args);
  }
}
