package io.bulwark.controller.cli;

import io.bulwark.controller.domain.BulwarkException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as {@code 45s}, {@code 90m}, {@code 1h} or {@code 30d}. */
final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})([smhd])");

  private Durations() {}

  static Duration parse(String option, String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new BulwarkException.Usage(option + " '" + text + "' must be a number and a unit: 45s, 90m, 1h, 30d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Parses {@code SEVERITY=DURATION} items, for example {@code critical=4h}, keeping their order. */
  static java.util.Map<String, Duration> perSeverity(String option, java.util.List<String> items) {
    java.util.Map<String, Duration> out = new java.util.LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new BulwarkException.Usage(option + " '" + item + "' must be SEVERITY=DURATION, for example critical=4h");
      }
      String severity = item.substring(0, eq).trim();
      if (!severity.matches("critical|high|medium|low")) {
        throw new BulwarkException.Usage(option + " '" + item + "': the severity must be critical, high, medium or low");
      }
      out.put(severity, parse(option + " " + severity, item.substring(eq + 1)));
    }
    return out;
  }
}
