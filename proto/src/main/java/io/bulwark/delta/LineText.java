package io.bulwark.delta;

import java.util.Arrays;
import java.util.Objects;

/**
 * A text with where each of its lines starts, so that a delta finds the lines it edits without
 * walking the text: for a million-line rule set the walk cost more than copying it. Lines are as
 * {@link LineDelta} splits them: one more than the line breaks, so the empty text has one empty
 * line. Applying a delta builds the result's starts from the base's at little cost ({@link
 * LineDelta#applyKeepingEdits(LineText, io.bulwark.proto.agent.v1.RuleDelta)}). Immutable.
 */
public final class LineText {
  private final String text;
  /** starts[i]: where line i starts, for i below count; the array may be longer. */
  private final int[] starts;
  private final int count;

  private LineText(String text, int[] starts, int count) {
    this.text = text;
    this.starts = starts;
    this.count = count;
  }

  /** {@code text} with its line starts, found by one walk over it. */
  public static LineText of(String text) {
    Objects.requireNonNull(text, "text");
    Starts starts = new Starts(Math.max(16, text.length() / 24));
    starts.add(0);
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      starts.add(i + 1);
    }
    return starts.of(text);
  }

  /** Line starts as they are found, in order. Not thread-safe. */
  static final class Starts {
    private int[] starts;
    private int count;

    Starts(int expected) {
      starts = new int[Math.max(1, expected)];
    }

    void add(int start) {
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, Math.max(16, count + (count >> 1)));
      }
      starts[count++] = start;
    }

    /** {@code from}'s starts of lines [first, end) moved by {@code shift}. */
    void addShifted(LineText from, int first, int end, int shift) {
      int n = end - first;
      if (count + n > starts.length) {
        starts = Arrays.copyOf(starts, Math.max(count + n, count + (count >> 1)));
      }
      int[] source = from.starts;
      for (int i = 0; i < n; i++) {
        starts[count + i] = source[first + i] + shift;
      }
      count += n;
    }

    int count() {
      return count;
    }

    /** The finished text with these starts; the empty text has its one line even if none was added. */
    LineText of(String text) {
      if (count == 0) {
        add(0);
      }
      return new LineText(text, starts, count);
    }
  }

  public String text() {
    return text;
  }

  public int lineCount() {
    return count;
  }

  /**
   * Where line {@code line} starts. The line after the last starts one past the end (so that
   * {@code start(n) - 1} is where line {@code n - 1} ends); lines beyond it start one further.
   */
  int start(long line) {
    if (line < count) {
      return starts[(int) line];
    }
    return line == count ? text.length() + 1 : text.length() + 2;
  }

  /** Whether {@code other} holds the same text with the same line starts (for tests). */
  boolean sameAs(LineText other) {
    return text.equals(other.text) && Arrays.equals(starts, 0, count, other.starts, 0, other.count);
  }
}
