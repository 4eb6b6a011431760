package io.bulwark.delta;

import io.bulwark.proto.agent.v1.RuleDelta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A digest of a text that a line delta brings up to date by hashing again only the blocks it
 * touches.
 *
 * <p>The text's lines are cut into blocks by their content: a line ends a block when the block has
 * at least {@link #MIN_LINES} lines and a hash of the line has its low five bits clear (distinct
 * lines: one in 32), when the block reached {@link #MAX_LINES} lines, or when it is the last line.
 * Each block is hashed with SHA-256 over its lines, each followed by a line break, in UTF-8; the
 * digest is the SHA-256 of a fixed label followed by the block hashes in order. Since the lines of
 * the blocks, in order, are the lines of the text, two texts with the same digest have the same
 * blocks unless SHA-256 collides: the digest names the text as surely as the SHA-256 of the text
 * does. How the blocks are cut decides how much an edit costs, not what the digest proves; but a
 * controller and an agent must cut alike to agree on a digest, so the rule is fixed under the label
 * ("v1"), and another rule needs another label.
 *
 * <p>After an edit, the cuts of the old and the new text agree again from the first cut they share,
 * so an update hashes the blocks around each edit and copies the others. A run of one repeated line
 * that does not end blocks by its content is cut every {@link #MAX_LINES} lines, so an edit there
 * moves the cuts to the end of the run: still exact, only slower. Immutable.
 */
public final class LineBlocks {

  /** The shortest block a line's content may end. */
  static final int MIN_LINES = 4;
  /** The longest block, in lines, however the lines hash. */
  static final int MAX_LINES = 128;

  private static final int NATURAL_MASK = 31;
  /** About how many lines a block of distinct lines has: the shortest, less one, then one in 32. */
  public static final int AVERAGE_LINES = MIN_LINES - 1 + NATURAL_MASK + 1;

  private static final int HASH_BYTES = 32;
  private static final byte[] LABEL = "bulwark line blocks v1\n".getBytes(StandardCharsets.US_ASCII);

  /** The base and delta the blocks were found from; null for blocks cut from their own text. */
  private record Origin(LineText base, RuleDelta delta) {}

  private final int count;
  /** ends[j]: the line after block j's last. */
  private final int[] ends;
  /** Block j's SHA-256 at [32 j, 32 j + 32). */
  private final byte[] hashes;
  private final Origin origin;
  private volatile String digest;

  private LineBlocks(int count, int[] ends, byte[] hashes, Origin origin, String digest) {
    this.count = count;
    this.ends = ends;
    this.hashes = hashes;
    this.origin = origin;
    this.digest = digest;
  }

  /** The blocks of {@code text}, all hashed. */
  public static LineBlocks of(LineText text) {
    Builder out = new Builder(text.lineCount() / AVERAGE_LINES + 16);
    Chunker chunker = new Chunker(out);
    String s = text.text();
    int lines = text.lineCount();
    for (int i = 0; i < lines; i++) {
      chunker.line(s, text.start(i), text.start(i + 1L) - 1);
    }
    return chunker.finish(null);
  }

  /** The hex digest of the lines of {@code text}. */
  public static String digestHex(String text) {
    return of(LineText.of(text)).digestHex();
  }

  /**
   * The blocks of the text that {@code delta} makes of {@code base}, from {@code base}'s blocks
   * (cut first if not known): only blocks near an edit are hashed again. {@link
   * LineDelta.Applied#keep} keeps them with that text.
   *
   * @throws LineDelta.MismatchException as {@link LineDelta#applyKeepingEdits} does, for the same
   *     deltas
   */
  public static LineBlocks after(LineText base, RuleDelta delta) throws LineDelta.MismatchException {
    return after(base, base.blocks(), delta);
  }

  /** As {@link #after(LineText, RuleDelta)}, with {@code base}'s blocks given. */
  static LineBlocks after(LineText base, LineBlocks blocks, RuleDelta delta) throws LineDelta.MismatchException {
    Builder out = new Builder(blocks.count + 2 * delta.getEditsCount() + 16);
    Chunker chunker = new Chunker(out);
    LineDelta.walk(base, delta, new LineDelta.Pieces() {
      @Override
      public void kept(int first, int end, int from, int to) {
        chunker.kept(base, blocks, first, end);
      }

      @Override
      public void inserted(String line) {
        int at = 0;
        for (int i = line.indexOf('\n'); i >= 0; i = line.indexOf('\n', at)) {
          chunker.line(line, at, i);
          at = i + 1;
        }
        chunker.line(line, at, line.length());
      }

      @Override
      public void lineBreak() {
        // Lines are apart by construction: each piece's lines are given one by one.
      }
    });
    return chunker.finish(new Origin(base, delta));
  }

  int blockCount() {
    return count;
  }

  /** The lines of the text these blocks were cut from. */
  int lineCount() {
    return count == 0 ? 0 : ends[count - 1];
  }

  /** Whether {@link #after} found these from {@code base} and {@code delta}, these very objects. */
  boolean foundFrom(LineText base, RuleDelta delta) {
    return origin != null && origin.base() == base && origin.delta() == delta;
  }

  /** These blocks, without holding on to where they were found from. */
  LineBlocks withoutOrigin() {
    return origin == null ? this : new LineBlocks(count, ends, hashes, null, digest);
  }

  /** The hex SHA-256 of the label and the block hashes. */
  public String digestHex() {
    String known = digest;
    if (known == null) {
      MessageDigest sha256 = LineDelta.newSha256();
      sha256.update(LABEL);
      sha256.update(hashes, 0, count * HASH_BYTES);
      known = HexFormat.of().formatHex(sha256.digest());
      digest = known;
    }
    return known;
  }

  /** Whether {@code other} cuts its text at the same lines into blocks with the same hashes (for tests). */
  boolean sameAs(LineBlocks other) {
    return count == other.count
        && Arrays.equals(ends, 0, count, other.ends, 0, other.count)
        && Arrays.equals(hashes, 0, count * HASH_BYTES, other.hashes, 0, other.count * HASH_BYTES);
  }

  /** The index of the block that starts at {@code line}, or -1 when none does. */
  private int blockStartingAt(int line) {
    if (line == 0) {
      return count > 0 ? 0 : -1;
    }
    int found = Arrays.binarySearch(ends, 0, count, line);
    return found >= 0 && found + 1 < count ? found + 1 : -1;
  }

  /** The first block from {@code from} on that ends after {@code line}, or {@code count}. */
  private int firstEndingAfter(int from, int line) {
    int lo = from;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ends[mid] <= line) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Whether the line [from, to) of {@code text} may end a block by its content. */
  static boolean endsBlock(String text, int from, int to) {
    int h = 0x9747b28c;
    for (int i = from; i < to; i++) {
      h = 31 * h + text.charAt(i);
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return (h & NATURAL_MASK) == 0;
  }

  /** Block ends and hashes, appended in order. Not thread-safe. */
  private static final class Builder {
    private int count;
    private int[] ends;
    private byte[] hashes;

    Builder(int expected) {
      ends = new int[expected];
      hashes = new byte[expected * HASH_BYTES];
    }

    private void room(int more) {
      if (count + more > ends.length) {
        long size = Math.max((long) count + more, count + (count >> 1) + 16L);
        if (size * HASH_BYTES > Integer.MAX_VALUE - 8) {
          // At least MIN_LINES lines a block: only a text of over 250 million lines gets here.
          throw new IllegalArgumentException("too many lines to cut into blocks: over " + count * (long) MIN_LINES);
        }
        ends = Arrays.copyOf(ends, (int) size);
        hashes = Arrays.copyOf(hashes, (int) size * HASH_BYTES);
      }
    }

    void add(int end, byte[] hash) {
      room(1);
      ends[count] = end;
      System.arraycopy(hash, 0, hashes, count * HASH_BYTES, HASH_BYTES);
      count++;
    }

    /** Blocks [from, to) of {@code old}, their ends moved by {@code shift}. */
    void copy(LineBlocks old, int from, int to, int shift) {
      int n = to - from;
      room(n);
      for (int i = 0; i < n; i++) {
        ends[count + i] = old.ends[from + i] + shift;
      }
      System.arraycopy(old.hashes, from * HASH_BYTES, hashes, count * HASH_BYTES, n * HASH_BYTES);
      count += n;
    }

    LineBlocks build(Origin origin) {
      if (ends.length - count > count / 8 + 16) {
        // Kept with the text: no more room than a few blocks.
        ends = Arrays.copyOf(ends, count);
        hashes = Arrays.copyOf(hashes, count * HASH_BYTES);
      }
      return new LineBlocks(count, ends, hashes, origin, null);
    }
  }

  /** Cuts lines given in order into blocks and hashes them. Not thread-safe. */
  private static final class Chunker {
    private final Builder out;
    private final MessageDigest block = LineDelta.newSha256();
    /** Lines given so far: the next line's number in the text being cut. */
    private int line;
    private int inBlock;
    /** Characters not yet hashed: [pendingFrom, pendingTo) of pendingText, lines apart by breaks. */
    private String pendingText;
    private int pendingFrom;
    private int pendingTo;

    Chunker(Builder out) {
      this.out = out;
    }

    /** The line [from, to) of {@code text} (no line break in it) comes next. */
    void line(String text, int from, int to) {
      if (pendingText == text && pendingTo + 1 == from) {
        pendingTo = to;
      } else {
        flush();
        pendingText = text;
        pendingFrom = from;
        pendingTo = to;
      }
      line++;
      inBlock++;
      if (inBlock == MAX_LINES || (inBlock >= MIN_LINES && endsBlock(text, from, to))) {
        close();
      }
    }

    /**
     * Base lines [first, end) come next. Where the lines cut so far end a block at the line before
     * a base block starts, the base's blocks from there are the same and are copied, up to the one
     * that holds the range's last line, which the next piece may change.
     */
    void kept(LineText base, LineBlocks blocks, int first, int end) {
      String text = base.text();
      int i = first;
      while (i < end) {
        int k = inBlock == 0 ? blocks.blockStartingAt(i) : -1;
        if (k >= 0) {
          int until = blocks.firstEndingAfter(k, end - 1);
          if (until > k) {
            int last = blocks.ends[until - 1];
            out.copy(blocks, k, until, line - i);
            line += last - i;
            i = last;
            continue;
          }
        }
        line(text, base.start(i), base.start(i + 1L) - 1);
        i++;
      }
    }

    /** The blocks, once every line was given. The text without lines is one empty line. */
    LineBlocks finish(Origin origin) {
      if (line == 0) {
        line("", 0, 0);
      }
      if (inBlock > 0) {
        close();
      }
      return out.build(origin);
    }

    private void close() {
      flush();
      out.add(line, block.digest());
      inBlock = 0;
    }

    private void flush() {
      if (pendingText != null) {
        block.update(pendingText.substring(pendingFrom, pendingTo).getBytes(StandardCharsets.UTF_8));
        block.update((byte) '\n');
        pendingText = null;
      }
    }
  }
}
