package io.bulwark.controller.cli;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines (ended by LF, CR LF or CR) from a reader, keeping at most a fixed number of
 * characters of each so that one endless line cannot exhaust memory. Not thread-safe.
 */
final class BoundedLines {
  private final Reader in;
  private final int keep;
  private final char[] buffer = new char[1 << 16];
  private int position;
  private int limit;
  private boolean skipLf;

  /**
   * @param in the source; read through an internal buffer, never closed here
   * @param keep the most characters kept of a line; longer lines are cut to {@code keep + 1}
   *     characters, so a caller can tell they were too long
   */
  BoundedLines(Reader in, int keep) {
    this.in = in;
    this.keep = keep;
  }

  /** Returns the next line without its terminator, cut as described, or null at the end. */
  String next() throws IOException {
    StringBuilder line = null;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return line == null ? null : line.toString();
        }
      }
      if (skipLf) {
        skipLf = false;
        if (buffer[position] == '\n') {
          position++;
          continue;
        }
      }
      int start = position;
      while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
        position++;
      }
      if (line == null) {
        line = new StringBuilder(Math.min(position - start, keep + 1));
      }
      line.append(buffer, start, Math.min(position - start, Math.max(0, keep + 1 - line.length())));
      if (position < limit) {
        skipLf = buffer[position] == '\r';
        position++;
        return line.toString();
      }
    }
  }
}
