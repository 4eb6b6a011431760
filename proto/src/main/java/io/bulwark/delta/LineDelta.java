package io.bulwark.delta;

import io.bulwark.proto.agent.v1.LineEdit;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Line edits between two rule sets of any target: the controller computes them once per pair of
 * generations, and an agent that holds the base rebuilds the new rule set from them, then checks
 * its digest. Generated rule sets are sorted and mostly made of distinct lines, so the edits are
 * found by anchoring on lines that occur once in both texts (patience diff), in O(n log n),
 * recursing into the gaps between anchors. The result is always exact; it is small when the
 * change is small. Stateless and thread-safe.
 */
public final class LineDelta {

  private LineDelta() {}

  /** Thrown when a delta does not fit the base it is applied to. */
  public static final class MismatchException extends Exception {
    public MismatchException(String message) {
      super(message);
    }
  }

  /** The edits that turn {@code base} into {@code target}. */
  public static RuleDelta between(String base, String target) {
    String[] a = lines(base);
    String[] b = lines(target);
    List<LineEdit> edits = new ArrayList<>();
    diff(a, 0, a.length, b, 0, b.length, edits, 0);
    return RuleDelta.newBuilder().addAllEdits(merge(edits)).build();
  }

  /**
   * One edit as applied to its base.
   *
   * @param baseLine the first base line it replaces
   * @param deleteCount how many base lines it replaces
   * @param deletedFrom where the replaced lines start in the base text
   * @param deletedTo where they end, their last line break excluded (equal to {@code deletedFrom}
   *     when none)
   * @param inserted the lines put in their place
   */
  public record Edit(int baseLine, int deleteCount, int deletedFrom, int deletedTo, List<String> inserted) {}

  /**
   * A delta applied: the new text with its line starts, and the edits with where their deleted
   * lines were in the base; the base and the delta it came from.
   */
  public record Applied(LineText lines, List<Edit> edits, LineText base, RuleDelta delta) {
    public String text() {
      return lines.text();
    }

    /**
     * Keeps {@code found} with the result, so that the next delta to it need not cut it into blocks.
     *
     * @throws IllegalArgumentException unless {@link LineBlocks#after} found them from this very
     *     base and delta
     */
    public void keep(LineBlocks found) {
      if (!found.foundFrom(base, delta)) {
        throw new IllegalArgumentException("these blocks were not found from this delta's base and edits");
      }
      lines.keep(found.withoutOrigin());
    }
  }

  /**
   * Applies {@code delta} to {@code base}.
   *
   * @throws MismatchException when an edit lies outside the base or edits overlap
   */
  public static String apply(String base, RuleDelta delta) throws MismatchException {
    return applyKeepingEdits(base, delta).text();
  }

  /** {@link #applyKeepingEdits(LineText, RuleDelta)} to a text whose line starts are not known yet. */
  public static Applied applyKeepingEdits(String base, RuleDelta delta) throws MismatchException {
    return applyKeepingEdits(LineText.of(base), delta);
  }

  /**
   * Applies {@code delta} to {@code base}, keeping where each edit's deleted lines were, so that a
   * caller can see what was removed without another pass over the base. The lines kept are copied
   * by range and their starts moved along, with no per-line object and no walk over the text.
   *
   * @throws MismatchException when an edit lies outside the base or edits overlap
   */
  public static Applied applyKeepingEdits(LineText base, RuleDelta delta) throws MismatchException {
    String text = base.text();
    // The result's lines if the edits fit the base (checked below), so that no slack is kept; an
    // inserted line holding a break grows the array. The text is sized for the base plus every
    // inserted line and its break: growing it would copy the whole text once more.
    long lines = base.lineCount();
    long inserted = 0;
    for (LineEdit edit : delta.getEditsList()) {
      lines += edit.getInsertCount() - Integer.toUnsignedLong(edit.getDeleteCount());
      for (String line : edit.getInsertList()) {
        inserted += line.length() + 1;
      }
    }
    StringBuilder out = new StringBuilder((int) Math.min(text.length() + inserted + 1, Integer.MAX_VALUE - 8));
    LineText.Starts starts = new LineText.Starts((int) Math.max(1, Math.min(lines, Integer.MAX_VALUE - 8)));
    List<Edit> edits =
        walk(base, delta, new Pieces() {
          @Override
          public void kept(int first, int end, int from, int to) {
            starts.addShifted(base, first, end, out.length() - from);
            out.append(text, from, to);
          }

          @Override
          public void inserted(String line) {
            appendLine(out, starts, line);
          }

          @Override
          public void lineBreak() {
            out.append('\n');
          }
        });
    String result = out.toString();
    return new Applied(starts.of(result), List.copyOf(edits), base, delta);
  }

  /** A new SHA-256, for the text's digest and its blocks' ({@link LineBlocks}). */
  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** What a delta's result is made of, in order. */
  interface Pieces {
    /** Base lines [first, end), which are {@code base.text()} [from, to), their last break excluded. */
    void kept(int first, int end, int from, int to);

    /** A line the delta inserts (it may hold line breaks of its own). */
    void inserted(String line);

    /** The break between one piece and the next. */
    void lineBreak();
  }

  /**
   * Tells {@code pieces} what applying {@code delta} to {@code base} makes, in order: the one walk
   * that both making the text and hashing it follow. Returns the edits as applied.
   *
   * @throws MismatchException when an edit lies outside the base or edits overlap
   */
  static List<Edit> walk(LineText base, RuleDelta delta, Pieces pieces) throws MismatchException {
    String text = base.text();
    List<Edit> edits = new ArrayList<>(delta.getEditsCount());
    boolean any = false;
    int next = 0;
    for (LineEdit edit : delta.getEditsList()) {
      long start = Integer.toUnsignedLong(edit.getBaseLine());
      long end = start + Integer.toUnsignedLong(edit.getDeleteCount());
      int keptFrom = base.start(next);
      int editFrom = start < next || end > Integer.MAX_VALUE ? -1 : base.start(start);
      int editTo = editFrom < 0 ? -1 : base.start(end);
      if (editTo < 0 || editTo > text.length() + 1) {
        throw new MismatchException(
            "an edit at line " + start + " (deleting " + edit.getDeleteCount() + ") does not fit a base of "
                + base.lineCount() + " lines after line " + next);
      }
      if (start > next) {
        // Base lines next..start-1, as one range.
        if (any) {
          pieces.lineBreak();
        }
        pieces.kept(next, (int) start, keptFrom, editFrom - 1);
        any = true;
      }
      for (String line : edit.getInsertList()) {
        if (any) {
          pieces.lineBreak();
        }
        pieces.inserted(line);
        any = true;
      }
      // An insertion after the last line starts one past the end: clamp it to the end.
      int deletedFrom = Math.min(editFrom, text.length());
      int deletedTo = end == start ? deletedFrom : editTo - 1;
      edits.add(new Edit((int) start, (int) (end - start), deletedFrom, deletedTo, edit.getInsertList()));
      next = (int) end;
    }
    int rest = base.start(next);
    if (rest <= text.length()) {
      // Lines from next to the end, as one range.
      if (any) {
        pieces.lineBreak();
      }
      pieces.kept(next, base.lineCount(), rest, text.length());
    }
    return edits;
  }

  /** Appends an inserted line; any line break inside it starts another line. */
  private static void appendLine(StringBuilder out, LineText.Starts starts, String line) {
    int at = out.length();
    starts.add(at);
    for (int i = line.indexOf('\n'); i >= 0; i = line.indexOf('\n', i + 1)) {
      starts.add(at + i + 1);
    }
    out.append(line);
  }

  /** Number of lines the delta inserts plus those it deletes: its size in lines. */
  public static long changedLines(RuleDelta delta) {
    long n = 0;
    for (LineEdit e : delta.getEditsList()) {
      n += Integer.toUnsignedLong(e.getDeleteCount()) + e.getInsertCount();
    }
    return n;
  }

  /** Splits on '\n' keeping a trailing empty line, so that joining gives the text back exactly. */
  private static String[] lines(String text) {
    return text.split("\n", -1);
  }

  /** Past this depth of nested gaps a gap is replaced whole: exact still, and the stack stays small. */
  private static final int MAX_DEPTH = 24;

  private static void diff(
      String[] a, int aFrom, int aTo, String[] b, int bFrom, int bTo, List<LineEdit> out, int depth) {
    while (aFrom < aTo && bFrom < bTo && a[aFrom].equals(b[bFrom])) {
      aFrom++;
      bFrom++;
    }
    while (aFrom < aTo && bFrom < bTo && a[aTo - 1].equals(b[bTo - 1])) {
      aTo--;
      bTo--;
    }
    if (aFrom == aTo && bFrom == bTo) {
      return;
    }
    if (aFrom == aTo || bFrom == bTo) {
      out.add(edit(aFrom, aTo - aFrom, b, bFrom, bTo));
      return;
    }
    int[][] anchors = depth >= MAX_DEPTH ? new int[0][] : uniqueCommon(a, aFrom, aTo, b, bFrom, bTo);
    if (anchors.length == 0) {
      out.add(edit(aFrom, aTo - aFrom, b, bFrom, bTo));
      return;
    }
    int ai = aFrom;
    int bi = bFrom;
    for (int[] anchor : anchors) {
      diff(a, ai, anchor[0], b, bi, anchor[1], out, depth + 1);
      ai = anchor[0] + 1;
      bi = anchor[1] + 1;
    }
    diff(a, ai, aTo, b, bi, bTo, out, depth + 1);
  }

  /**
   * Pairs (index in a, index in b) of lines that occur exactly once in each range, the longest
   * run of them that is increasing in both, in order.
   */
  private static int[][] uniqueCommon(String[] a, int aFrom, int aTo, String[] b, int bFrom, int bTo) {
    // counts[0]: occurrences in a, counts[1]: in b, counts[2]: index in a.
    Map<String, int[]> seen = new HashMap<>(Math.max(16, (aTo - aFrom) * 2));
    for (int i = aFrom; i < aTo; i++) {
      int[] c = seen.computeIfAbsent(a[i], k -> new int[3]);
      c[0]++;
      c[2] = i;
    }
    for (int j = bFrom; j < bTo; j++) {
      int[] c = seen.get(b[j]);
      if (c != null) {
        c[1]++;
      }
    }
    int[] bIndex = new int[bTo - bFrom];
    int[] aIndex = new int[bTo - bFrom];
    int n = 0;
    for (int j = bFrom; j < bTo; j++) {
      int[] c = seen.get(b[j]);
      if (c != null && c[0] == 1 && c[1] == 1) {
        aIndex[n] = c[2];
        bIndex[n] = j;
        n++;
      }
    }
    return longestIncreasing(aIndex, bIndex, n);
  }

  /** The longest subsequence of {@code aIndex[0..n)} that increases, with its b indices. */
  private static int[][] longestIncreasing(int[] aIndex, int[] bIndex, int n) {
    int[] tails = new int[n];
    int[] previous = new int[n];
    int length = 0;
    for (int i = 0; i < n; i++) {
      int lo = 0;
      int hi = length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (aIndex[tails[mid]] < aIndex[i]) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      previous[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
      if (lo == length) {
        length++;
      }
    }
    int[][] result = new int[length][];
    int k = length > 0 ? tails[length - 1] : -1;
    for (int r = length - 1; r >= 0; r--) {
      result[r] = new int[] {aIndex[k], bIndex[k]};
      k = previous[k];
    }
    return result;
  }

  private static LineEdit edit(int baseLine, int delete, String[] b, int bFrom, int bTo) {
    return LineEdit.newBuilder()
        .setBaseLine(baseLine)
        .setDeleteCount(delete)
        .addAllInsert(Arrays.asList(b).subList(bFrom, bTo))
        .build();
  }

  /** Joins edits that touch, so that the delta has as few edits as possible. */
  private static List<LineEdit> merge(List<LineEdit> edits) {
    List<LineEdit> merged = new ArrayList<>(edits.size());
    for (LineEdit e : edits) {
      if (!merged.isEmpty()) {
        LineEdit last = merged.get(merged.size() - 1);
        if (last.getBaseLine() + last.getDeleteCount() == e.getBaseLine()) {
          merged.set(
              merged.size() - 1,
              last.toBuilder()
                  .setDeleteCount(last.getDeleteCount() + e.getDeleteCount())
                  .addAllInsert(e.getInsertList())
                  .build());
          continue;
        }
      }
      merged.add(e);
    }
    return merged;
  }
}
