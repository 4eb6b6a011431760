package io.bulwark.delta;

import java.util.Arrays;
import java.util.Objects;

/**
 * A text with where each of its lines starts, so that a delta finds the lines it edits without
 * walking the text: for a million-line rule set the walk cost more than copying it. Lines are as
 * {@link LineDelta} splits them: one more than the line breaks, so the empty text has one empty
 * line. Applying a delta builds the result's starts from the base's at little cost ({@link
 * LineDelta#applyKeepingEdits(LineText, io.bulwark.proto.agent.v1.RuleDelta)}); a text taken as
 * it is has them found by one walk, the first time they are needed. Thread-safe.
 */
public final class LineText {
  private final String text;
  /** The line starts; null until first needed, for a text taken as it is. */
  private volatile Index index;
  /** Its blocks, for a digest a delta can update; null until first needed. */
  private volatile LineBlocks blocks;

  /** starts[i]: where line i starts, for i below count; the array may be longer. */
  private record Index(int[] starts, int count) {}

  private LineText(String text, Index index) {
    this.text = text;
    this.index = index;
  }

  /** {@code text}, its line starts to be found by one walk over it when first needed. */
  public static LineText of(String text) {
    return new LineText(Objects.requireNonNull(text, "text"), null);
  }

  private Index index() {
    Index known = index;
    if (known == null) {
      synchronized (this) {
        known = index;
        if (known == null) {
          Starts starts = new Starts(Math.max(16, text.length() / 24));
          starts.add(0);
          for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            starts.add(i + 1);
          }
          known = new Index(starts.starts, starts.count);
          index = known;
        }
      }
    }
    return known;
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
      int[] source = from.index().starts();
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
      return new LineText(text, new Index(starts, count));
    }
  }

  public String text() {
    return text;
  }

  /** The blocks of this text ({@link LineBlocks}), cut and hashed when first needed. */
  public synchronized LineBlocks blocks() {
    // Asked once per delta at most, so the lock costs nothing worth a lock-free first look.
    if (blocks == null) {
      blocks = LineBlocks.of(this);
    }
    return blocks;
  }

  /** Whether the blocks are known already, so that {@link #blocks()} costs nothing. */
  public boolean hasBlocks() {
    return blocks != null;
  }

  /**
   * Keeps {@code found}, this text's blocks as found from the blocks of the text a delta made it
   * of ({@link LineDelta.Applied#keep}), unless its blocks are known already.
   *
   * @throws IllegalArgumentException when they do not end at this text's last line
   */
  void keep(LineBlocks found) {
    if (found.lineCount() != lineCount()) {
      throw new IllegalArgumentException(
          "blocks of " + found.lineCount() + " lines do not fit a text of " + lineCount() + " lines");
    }
    synchronized (this) {
      if (blocks == null) {
        blocks = found;
      }
    }
  }

  public int lineCount() {
    return index().count();
  }

  /**
   * Where line {@code line} starts. The line after the last starts one past the end (so that
   * {@code start(n) - 1} is where line {@code n - 1} ends); lines beyond it start one further.
   */
  int start(long line) {
    Index i = index();
    if (line < i.count()) {
      return i.starts()[(int) line];
    }
    return line == i.count() ? text.length() + 1 : text.length() + 2;
  }

  /** Whether {@code other} holds the same text with the same line starts (for tests). */
  boolean sameAs(LineText other) {
    Index mine = index();
    Index theirs = other.index();
    return text.equals(other.text) && Arrays.equals(mine.starts(), 0, mine.count(), theirs.starts(), 0, theirs.count());
  }
}
