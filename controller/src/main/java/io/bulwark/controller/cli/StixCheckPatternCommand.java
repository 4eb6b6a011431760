package io.bulwark.controller.cli;

import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bulwark stix check-pattern}: reads STIX patterns one per line from standard input and
 * prints, for each line in order, {@code VALID} or {@code INVALID<TAB>at <position>: <message>}.
 * Exits 0 once every line was read, whatever the verdicts; 1 when standard input cannot be read.
 */
@Command(
    name = "check-pattern",
    mixinStandardHelpOptions = true,
    description = {
      "Checks STIX 2.1 patterns, one per line on standard input.",
      "Prints VALID or INVALID<TAB>at <position>: <what was expected> for each line, in order.",
      "Positions count characters from 0. Exit 0 when every line was read."
    })
final class StixCheckPatternCommand implements Callable<Integer> {
  /** Output is written in chunks of about this many characters, not line by line. */
  private static final int CHUNK = 1 << 16;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    // System.in is read at call time so that an in-process caller can redirect it.
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), CHUNK);
    StringBuilder chunk = new StringBuilder(CHUNK + 256);
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        verdict(line, chunk);
        if (chunk.length() >= CHUNK) {
          out.print(chunk);
          chunk.setLength(0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    } finally {
      out.print(chunk);
      out.flush();
    }
    return 0;
  }

  /** Appends the verdict for one pattern; messages never hold a line break (values are escaped). */
  static void verdict(String pattern, StringBuilder to) {
    PatternResult result = PatternParser.parseStrict(pattern);
    if (result instanceof PatternResult.Failed failed) {
      to.append("INVALID\t").append(failed.error()).append('\n');
    } else {
      to.append("VALID\n");
    }
  }
}
