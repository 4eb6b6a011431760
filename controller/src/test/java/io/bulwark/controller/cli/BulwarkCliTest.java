package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and messages of the CLI, without a controller. */
class BulwarkCliTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = BulwarkCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void help_listsTheCommands() {
    Run r = run("--help");
    assertEquals(0, r.exit());
    for (String c : new String[] {"demo", "controller", "token", "ingest", "indicators", "approve", "status"}) {
      assertTrue(r.out().contains(c), "help lacks " + c);
    }
  }

  @Test
  void missingRequiredOption_isBadUsage() {
    Run r = run("approve", "indicator--x", "--scope", "all");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--action"), r.err());
  }

  @Test
  void noControllerRunning_failsWithAClearMessage() {
    Run r = run("status", "--data-dir", dir.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("no controller is running with data directory"), r.err());
  }

  @Test
  void badDuration_isBadUsage() {
    Run r = run("token", "create", "--device", "a", "--ttl", "forever", "--data-dir", dir.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--ttl 'forever'"), r.err());
  }

  @Test
  void unreadableBundle_isBadUsage() {
    Run r = run("ingest", dir.resolve("missing.json").toString(), "--data-dir", dir.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("cannot read"), r.err());
  }

  @Test
  void sshParallelismOutOfRange_isBadUsage_beforeAnythingStarts() {
    Run r = run("controller", "--ssh-parallelism", "0", "--data-dir", dir.resolve("data").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--ssh-parallelism 0 is out of range: use 1 to 512"), r.err());
    assertTrue(!java.nio.file.Files.exists(dir.resolve("data")), "nothing created");
  }

  @Test
  void sshParallelismNotANumber_isBadUsage() {
    Run r = run("controller", "--ssh-parallelism", "many", "--data-dir", dir.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--ssh-parallelism") && r.err().contains("many"), r.err());
  }
}
