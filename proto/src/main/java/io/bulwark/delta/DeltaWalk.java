package io.bulwark.delta;

import io.bulwark.proto.agent.v1.RuleDelta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * What a delta makes of a base, found by walking the same pieces as {@link
 * LineDelta#applyKeepingEdits} without making the text: so that it can be found on another thread
 * while the text is made, or before. Stateless and thread-safe.
 */
public final class DeltaWalk {

  private static final int HASH_SLICE_CHARS = 1 << 16;

  private DeltaWalk() {}

  /**
   * The edits of {@code delta} with where their deleted lines lie in {@code base}, as {@link
   * LineDelta.Applied#edits} gives them.
   *
   * @throws LineDelta.MismatchException as {@link LineDelta#applyKeepingEdits} does
   */
  public static List<LineDelta.Edit> edits(LineText base, RuleDelta delta) throws LineDelta.MismatchException {
    return List.copyOf(LineDelta.walk(base, delta, new LineDelta.Pieces() {
      @Override
      public void kept(int first, int end, int from, int to) {}

      @Override
      public void inserted(String line) {}

      @Override
      public void lineBreak() {}
    }));
  }

  /**
   * The SHA-256 of the UTF-8 of the text {@link LineDelta#applyKeepingEdits} makes of {@code base}
   * and {@code delta}.
   *
   * @throws LineDelta.MismatchException as {@link LineDelta#applyKeepingEdits} does
   */
  public static byte[] sha256(LineText base, RuleDelta delta) throws LineDelta.MismatchException {
    MessageDigest sha256 = LineDelta.newSha256();
    String text = base.text();
    LineDelta.walk(base, delta, new LineDelta.Pieces() {
      @Override
      public void kept(int first, int end, int from, int to) {
        // In slices, so that no copy of a large range is made at once; a piece never splits a
        // surrogate pair (it ends at a line break or the end), and neither does a slice.
        for (int at = from; at < to; ) {
          int until = Math.min(to, at + HASH_SLICE_CHARS);
          if (until < to && Character.isHighSurrogate(text.charAt(until - 1))) {
            until--;
          }
          sha256.update(text.substring(at, until).getBytes(StandardCharsets.UTF_8));
          at = until;
        }
      }

      @Override
      public void inserted(String line) {
        sha256.update(line.getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public void lineBreak() {
        sha256.update((byte) '\n');
      }
    });
    return sha256.digest();
  }
}
