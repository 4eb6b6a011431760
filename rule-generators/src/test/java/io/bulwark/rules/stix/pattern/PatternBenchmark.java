package io.bulwark.rules.stix.pattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Prints how many patterns per second {@link PatternParser#parseStrict} handles. Not a test: run it
 * after {@code mvn -pl rule-generators test-compile} with {@code java -cp
 * rule-generators/target/classes:rule-generators/target/test-classes
 * io.bulwark.rules.stix.pattern.PatternBenchmark [count]}.
 */
public final class PatternBenchmark {

  private PatternBenchmark() {}

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    List<String> patterns = generate(count, new Random(42));
    long chars = patterns.stream().mapToLong(String::length).sum();
    for (int round = 0; round < 3; round++) {
      parseAll(patterns); // warm-up
    }
    long start = System.nanoTime();
    int valid = parseAll(patterns);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%d patterns (%d valid, %.1f chars on average) in %.3f s: %.0f patterns/s%n",
        count,
        valid,
        (double) chars / count,
        seconds,
        count / seconds);
  }

  private static int parseAll(List<String> patterns) {
    int valid = 0;
    for (String pattern : patterns) {
      if (PatternParser.parseStrict(pattern) instanceof PatternResult.Parsed) {
        valid++;
      }
    }
    return valid;
  }

  /**
   * Patterns shaped like feed content: addresses, domains, URLs, hashes, and some compound ones.
   */
  static List<String> generate(int count, Random random) {
    List<String> patterns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String ip =
          (random.nextInt(223) + 1)
              + "."
              + random.nextInt(256)
              + "."
              + random.nextInt(256)
              + "."
              + random.nextInt(256);
      String hex = Long.toHexString(random.nextLong() | Long.MIN_VALUE).repeat(4);
      patterns.add(
          switch (i % 6) {
            case 0 -> "[ipv4-addr:value = '" + ip + "/32']";
            case 1 ->
                "[domain-name:value = 'host"
                    + i
                    + ".example.com'] OR [url:value = 'http://host"
                    + i
                    + ".example.com/a?b=c']";
            case 2 ->
                "[file:hashes.'SHA-256' = '"
                    + hex
                    + "' OR file:hashes.MD5 = '"
                    + hex.substring(0, 32)
                    + "']";
            case 3 ->
                "[network-traffic:dst_ref.value = '"
                    + ip
                    + "' AND network-traffic:dst_port IN (139, 445) AND"
                    + " network-traffic:protocols[*] = 'tcp']";
            case 4 ->
                "([ipv4-addr:value = '"
                    + ip
                    + "'] FOLLOWEDBY [process:name NOT LIKE 'svc%']) WITHIN 300 SECONDS";
            default ->
                "[x-custom:created >= t'2016-06-01T01:30:00.123Z' AND x-custom:flag = true] REPEATS"
                    + " 3 TIMES";
          });
    }
    return patterns;
  }
}
