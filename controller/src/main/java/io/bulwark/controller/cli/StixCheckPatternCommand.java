package io.bulwark.controller.cli;

import io.bulwark.rules.stix.SpecVersion;
import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bulwark stix check-pattern}: reads STIX patterns one per line from standard input and
 * prints, for each line in order, {@code VALID} or {@code INVALID<TAB>at <position>: <message>}.
 * Exits 0 once every line was read, whatever the verdicts; 1 when standard input cannot be read.
 * Memory is bounded: lines are checked in batches, and of a line longer than the longest pattern
 * only enough is kept to refuse it.
 */
@Command(
    name = "check-pattern",
    mixinStandardHelpOptions = true,
    description = {
      "Checks STIX 2.1 patterns (or 2.0, with --spec-version 2.0), one per line on standard input.",
      "Prints VALID or INVALID<TAB>at <position>: <what was expected> for each line, in order.",
      "Positions count characters from 0. Exit 0 when every line was read."
    })
final class StixCheckPatternCommand implements Callable<Integer> {
  /** Lines checked together, in parallel, and then printed in order. */
  private static final int BATCH = 4096;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--stats",
      description = "Print how many patterns were checked, and how fast, on standard error.")
  boolean stats;

  @CommandLine.Option(
      names = "--spec-version",
      paramLabel = "2.1|2.0",
      description = "The STIX version whose grammar applies (default 2.1). In 2.0, START and STOP take"
          + " timestamp strings, START '2016-06-01T00:00:00Z', instead of t'...'.")
  void specVersion(String text) {
    version = SpecVersion.of(text).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
        "--spec-version must be 2.1 or 2.0, not '" + text + "'"));
  }

  private SpecVersion version = SpecVersion.V2_1;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    int lines = 0;
    int invalid = 0;
    PrintWriter out = spec.commandLine().getOut();
    // System.in is read at call time so that an in-process caller can redirect it.
    BoundedLines in =
        new BoundedLines(
            new InputStreamReader(System.in, StandardCharsets.UTF_8), PatternParser.MAX_LENGTH);
    String[] batch = new String[BATCH];
    String[] verdicts = new String[BATCH];
    try {
      for (int n = fill(in, batch); n > 0; n = fill(in, batch)) {
        int count = n;
        // Patterns are independent: check a batch on all cores, then print it in input order.
        IntStream.range(0, count).parallel().forEach(i -> verdicts[i] = verdict(batch[i], version));
        StringBuilder text = new StringBuilder(count * 8);
        for (int i = 0; i < count; i++) {
          text.append(verdicts[i]).append('\n');
          invalid += verdicts[i].startsWith("VALID") ? 0 : 1;
        }
        out.print(text);
        lines += count;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    } finally {
      out.flush();
    }
    if (stats) {
      double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
      spec.commandLine()
          .getErr()
          .printf(
              java.util.Locale.ROOT,
              "checked %d patterns (%d invalid) in %.3f s: %.0f patterns/s%n",
              lines,
              invalid,
              seconds,
              lines / seconds);
      spec.commandLine().getErr().flush();
    }
    return 0;
  }

  private static int fill(BoundedLines in, String[] batch) throws IOException {
    int n = 0;
    for (String line; n < batch.length && (line = in.next()) != null; ) {
      batch[n++] = line;
    }
    return n;
  }

  /** The verdict for one pattern; it never holds a line break (values in messages are escaped). */
  static String verdict(String pattern, SpecVersion version) {
    PatternResult result = PatternParser.parseStrict(pattern, version);
    if (result instanceof PatternResult.Failed failed) {
      return "INVALID\t" + failed.error();
    }
    return "VALID";
  }
}
