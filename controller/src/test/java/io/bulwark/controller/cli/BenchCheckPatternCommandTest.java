package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchCheckPatternCommandTest {

  @Test
  void benchCheckPattern_runsTheCommandOnEveryGeneratedPattern_andPrintsTheRate() {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = BulwarkCli.commandLine().execute("bench", "check-pattern", "--patterns", "600");
    } finally {
      System.setOut(saved);
    }

    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, text);
    assertTrue(text.matches("(?s)600 patterns, [0-9,]+ bytes, on \\d+ cores\nchecked 600 patterns in [0-9.]+ s: [0-9,]+"
        + " patterns/s\n"), text);
  }
}
