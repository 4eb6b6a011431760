package io.bulwark.agent.host;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger that prints each event enabled by its threshold as one line, {@code <time> <LEVEL>
 * <simple name> - <message>}, followed by the stack trace of a throwable if there is one. A line is
 * written with one call, so lines from different threads do not mix. Thread-safe.
 */
final class LineLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

  private final int threshold;
  private final String shortName;
  private final transient PrintStream out;

  LineLogger(String name, Level threshold, PrintStream out) {
    this.name = name;
    this.threshold = threshold.toInt();
    this.shortName = name.substring(name.lastIndexOf('.') + 1);
    this.out = out;
  }

  @Override
  public boolean isTraceEnabled() {
    return threshold <= Level.TRACE.toInt();
  }

  @Override
  public boolean isDebugEnabled() {
    return threshold <= Level.DEBUG.toInt();
  }

  @Override
  public boolean isInfoEnabled() {
    return threshold <= Level.INFO.toInt();
  }

  @Override
  public boolean isWarnEnabled() {
    return threshold <= Level.WARN.toInt();
  }

  @Override
  public boolean isErrorEnabled() {
    return threshold <= Level.ERROR.toInt();
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    StringBuilder line = new StringBuilder(128);
    String levelName = level.toString();
    line.append(TIME.format(OffsetDateTime.now()))
        .append(' ')
        .append(levelName)
        .append("     ", 0, 6 - levelName.length())
        .append(shortName)
        .append(" - ")
        .append(MessageFormatter.basicArrayFormat(pattern, arguments))
        .append(System.lineSeparator());
    if (throwable != null) {
      StringWriter trace = new StringWriter();
      throwable.printStackTrace(new PrintWriter(trace));
      line.append(trace);
    }
    out.print(line);
    out.flush();
  }
}
