package io.bulwark.controller.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Times {@code bulwark stix check-pattern} on generated patterns shaped like feed content
 * (addresses, domains and URLs, hashes, network traffic, qualified and compound observations):
 * the command's own path, from standard input to the verdict lines, which are counted and dropped.
 * Prints figures; asserts nothing.
 */
public final class CheckPatternBench {
  private final int count;
  private final PrintStream out;

  public CheckPatternBench(int count, PrintStream out) {
    this.count = count;
    this.out = out;
  }

  /**
   * Runs three warm-up rounds and one timed round.
   *
   * @param command makes the {@code bulwark} command line to run {@code stix check-pattern} with
   */
  public void run(Supplier<CommandLine> command) {
    byte[] input = generate(count, new Random(42)).getBytes(StandardCharsets.UTF_8);
    out.printf(Locale.ROOT, "%,d patterns, %,d bytes, on %d cores%n", count, input.length,
        Runtime.getRuntime().availableProcessors());
    for (int round = 0; round < 3; round++) {
      once(command, input);
    }
    long start = System.nanoTime();
    long lines = once(command, input);
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "checked %,d patterns in %.3f s: %,.0f patterns/s%n", lines, seconds, lines / seconds);
  }

  private static long once(Supplier<CommandLine> command, byte[] input) {
    CountingWriter verdicts = new CountingWriter();
    CommandLine cli = command.get();
    cli.setOut(new PrintWriter(verdicts));
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(input));
    try {
      if (cli.execute("stix", "check-pattern") != 0) {
        throw new IllegalStateException("check-pattern failed");
      }
    } finally {
      System.setIn(saved);
    }
    return verdicts.lines;
  }

  /** Patterns one per line: six shapes in turn, about one in six invalid by the value checks. */
  static String generate(int count, Random random) {
    StringBuilder s = new StringBuilder(count * 80);
    for (int i = 0; i < count; i++) {
      String ip = (random.nextInt(223) + 1) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
          + random.nextInt(256);
      String hex = Long.toHexString(random.nextLong() | Long.MIN_VALUE).repeat(4);
      s.append(switch (i % 6) {
        case 0 -> "[ipv4-addr:value = '" + ip + "/32']";
        case 1 -> "[domain-name:value = 'host" + i + ".example.com'] OR [url:value = 'http://host" + i
            + ".example.com/a?b=c']";
        case 2 -> "[file:hashes.'SHA-256' = '" + hex + "' OR file:hashes.MD5 = '" + hex.substring(0, 32) + "']";
        case 3 -> "[network-traffic:dst_ref.value = '" + ip + "' AND network-traffic:dst_port IN (139, 445) AND"
            + " network-traffic:protocols[*] = 'tcp']";
        case 4 -> "([ipv4-addr:value = '" + ip + "'] FOLLOWEDBY [process:name NOT LIKE 'svc%']) WITHIN 300 SECONDS";
        default -> "[x-custom:created >= t'2016-06-01T01:30:00.123Z' AND x-custom:flag = true] REPEATS 3 TIMES";
      }).append('\n');
    }
    return s.toString();
  }

  /** Drops what is written, counting the lines. */
  private static final class CountingWriter extends Writer {
    long lines;

    @Override
    public void write(char[] buffer, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (buffer[i] == '\n') {
          lines++;
        }
      }
    }

    @Override
    public void write(String text, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (text.charAt(i) == '\n') {
          lines++;
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
