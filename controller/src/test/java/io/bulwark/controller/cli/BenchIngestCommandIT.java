package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.testing.StrictTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bulwark bench ingest} with a small bundle, on embedded H2 and on PostgreSQL. */
class BenchIngestCommandIT {
  private static final int N = 300;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream saved = System.out;
    var bytes = new ByteArrayOutputStream();
    var err = new StringWriter();
    CommandLine cli = BulwarkCli.commandLine();
    cli.setErr(new PrintWriter(err));
    try (var captured = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(captured);
      int exit = cli.execute(args);
      return new Run(exit, bytes.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(saved);
    }
  }

  private static void assertFigures(Run r) {
    assertEquals(0, r.exit(), r.out() + r.err());
    String out = r.out();
    assertTrue(out.contains("first ingest: " + N + " stored, 0 unchanged"), out);
    assertTrue(out.contains("same bundle again: 0 stored, " + N + " unchanged"), out);
    for (String figure : new String[] {"parse and validate alone: ", "store and correlation about ", "indicators/s: ",
        "heap used at peak: "}) {
      assertEquals(2, count(out, Pattern.quote(figure) + "[0-9,]+"), figure + " twice in\n" + out);
    }
    assertTrue(out.contains("indicator versions stored: " + N + "\n"), out);
    assertTrue(out.contains("correlation ranges stored: " + N + "\n"), out);
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void embeddedH2_printsTheFiguresOfBothIngests() {
    assertFigures(run("bench", "ingest", "--indicators", String.valueOf(N)));
  }

  @Test
  void postgres_printsTheFigures_andDropsItsSchema() throws SQLException {
    String url = io.bulwark.controller.testing.TestDatabases.pgUrl();
    try (var c = DriverManager.getConnection(url)) {
      c.isValid(1);
    } catch (SQLException e) {
      StrictTests.skipOrFail("PostgreSQL is not reachable at " + url + ": " + e.getMessage());
    }
    Run r = run("bench", "ingest", "--indicators", String.valueOf(N), "--db-url", url);
    assertFigures(r);
    Matcher schema = Pattern.compile("new schema (bulwark_bench_[0-9a-f]+)").matcher(r.out());
    assertTrue(schema.find(), r.out());
    try (var c = DriverManager.getConnection(url);
        var q = c.prepareStatement("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?")) {
      q.setString(1, schema.group(1));
      try (var rs = q.executeQuery()) {
        rs.next();
        assertEquals(0, rs.getInt(1), "the bench left its schema behind");
      }
    }
  }

  @Test
  void badArguments_areUsageErrors() {
    Run big = run("bench", "ingest", "--indicators", "200000");
    assertEquals(2, big.exit());
    assertTrue(big.err().contains("--indicators must be between 1 and 131072"), big.err());
    Run url = run("bench", "ingest", "--indicators", "5", "--db-url", "jdbc:mysql://x/y");
    assertEquals(2, url.exit());
    assertTrue(url.err().contains("jdbc:postgresql:"), url.err());
    Run fleetUrl = run("bench", "fleet", "--agents", "2", "--db-url", "jdbc:h2:mem:x");
    assertEquals(2, fleetUrl.exit());
    assertTrue(fleetUrl.err().contains("--db-url must be a jdbc:postgresql: URL"), fleetUrl.err());
    Run nice = run("bench", "fleet", "--agents", "2", "--worker-nice", "20");
    assertEquals(2, nice.exit());
    assertTrue(nice.err().contains("--worker-nice must be 0 to 19, not 20"), nice.err());
    Run huge = run("bench", "fleet", "--agents", "50000", "--processes", "10", "--base-terms", "100000", "--rounds", "0");
    assertEquals(2, huge.exit());
    assertTrue(huge.err().contains("the simulated agents would need about") && huge.err().contains("MB available"),
        huge.err());
  }
}
