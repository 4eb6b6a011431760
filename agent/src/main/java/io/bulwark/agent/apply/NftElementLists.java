package io.bulwark.agent.apply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The element lists of one nftables table text, found without splitting them: where each {@code
 * elements = { ... }} of a set or map starts and ends, how many elements it holds, and the
 * <em>skeleton</em>, the text with every element list emptied. Two rule sets with equal skeletons
 * differ only in set elements, so one can become the other by adding and deleting elements.
 *
 * <p>Finding the lists costs one pass over the structure lines and one over each list's characters
 * (about 30 ms for a million elements), with no per-element objects. Elements are the comma-separated items of a list (the forms
 * Bulwark's generators write: addresses, prefixes, ranges, ports, concatenations, made of letters,
 * digits, {@code . : / - _} and blanks); a list holding anything else (a quote, a brace, a
 * semicolon, a comment) is not indexed ({@link #of} returns null), and callers then fall back to
 * treating the text whole. So the skeleton holds every statement of the text, and checking it is
 * checking the text. Thread-safe; only the cached hashes change after construction.
 */
final class NftElementLists {

  /**
   * One element list.
   *
   * @param set the set's name, e.g. {@code cm5_v4}
   * @param start offset of the first character after the opening brace
   * @param end offset of the closing brace
   * @param count number of elements
   * @param interval whether the set has {@code flags interval}
   */
  record ElementList(String set, int start, int end, int count, boolean interval) {}

  /** Receives one element as a range of the text. */
  interface ElementVisitor {
    void element(String text, int from, int to);
  }

  private static final String ELEMENTS = "elements";

  private final String text;
  private final List<ElementList> lists;
  private final String skeleton;
  /** Per list, the sorted hashes of its elements once asked for; see {@link #sortedHashes}. */
  private final long[][] hashes;
  /**
   * Per list, the same hashes in the order of the elements, and where each element starts and ends
   * in the text: an element is found by its hash without walking or hashing the text again.
   */
  private final long[][] inOrder;
  private final int[][] starts;
  private final int[][] ends;

  private NftElementLists(String text, List<ElementList> lists, String skeleton) {
    this.text = text;
    this.lists = lists;
    this.skeleton = skeleton;
    this.hashes = new long[lists.size()][];
    this.inOrder = new long[lists.size()][];
    this.starts = new int[lists.size()][];
    this.ends = new int[lists.size()][];
  }

  /** Indexes {@code text}, or returns null when its element lists are not in the plain form. */
  static NftElementLists of(String text) {
    List<ElementList> lists = new ArrayList<>();
    StringBuilder skeleton = new StringBuilder(4096);
    String set = null;
    boolean interval = false;
    int copied = 0;
    int line = 0;
    while (line < text.length()) {
      int lineEnd = text.indexOf('\n', line);
      if (lineEnd < 0) {
        lineEnd = text.length();
      }
      int first = skipBlanks(text, line, lineEnd);
      if (text.startsWith("set ", first) || text.startsWith("map ", first)) {
        int nameEnd = first + 4;
        while (nameEnd < lineEnd && !Character.isWhitespace(text.charAt(nameEnd)) && text.charAt(nameEnd) != '{') {
          nameEnd++;
        }
        set = text.substring(first + 4, nameEnd);
        interval = false;
      } else if (text.startsWith("flags ", first) && set != null) {
        interval |= text.substring(first, lineEnd).contains("interval");
      } else if (text.startsWith(ELEMENTS, first) && set != null) {
        int open = text.indexOf('{', first);
        int close = open < 0 ? -1 : text.indexOf('}', open);
        if (open < 0 || close < 0 || !onlyBlanksAndEquals(text, first + ELEMENTS.length(), open)) {
          return null;
        }
        int count = count(text, open + 1, close);
        if (count < 0) {
          return null;
        }
        lists.add(new ElementList(set, open + 1, close, count, interval));
        skeleton.append(text, copied, open + 1);
        copied = close;
        lineEnd = text.indexOf('\n', close);
        if (lineEnd < 0) {
          lineEnd = text.length();
        }
      }
      line = lineEnd + 1;
    }
    skeleton.append(text, copied, text.length());
    return new NftElementLists(text, List.copyOf(lists), skeleton.toString());
  }

  String text() {
    return text;
  }

  List<ElementList> lists() {
    return lists;
  }

  String skeleton() {
    return skeleton;
  }

  long elementCount() {
    long n = 0;
    for (ElementList list : lists) {
      n += list.count();
    }
    return n;
  }

  /**
   * The sorted {@link NftElementDelta#hash hashes} of the elements of list {@code index}, computed
   * once and kept (8 bytes per element sorted, 16 more in element order with where each element
   * is), so that the next delta from these rules hashes only the new ones.
   */
  synchronized long[] sortedHashes(int index) {
    long[] sorted = hashes[index];
    if (sorted == null) {
      ElementList list = lists.get(index);
      long[] values = new long[list.count()];
      int[] from = new int[list.count()];
      int[] to = new int[list.count()];
      int[] next = {0};
      forEach(list, (t, a, b) -> {
        from[next[0]] = a;
        to[next[0]] = b;
        values[next[0]++] = NftElementDelta.hash(t, a, b);
      });
      inOrder[index] = values;
      starts[index] = from;
      ends[index] = to;
      sorted = values.clone();
      Arrays.parallelSort(sorted);
      hashes[index] = sorted;
    }
    return sorted;
  }

  /**
   * The elements of list {@code index} whose hash is in {@code sorted} (a few, usually), found by the
   * hashes kept in element order: no element is hashed again.
   */
  List<String> elementsWithHashIn(int index, long[] sorted) {
    List<String> found = new ArrayList<>();
    if (sorted.length == 0) {
      return found;
    }
    sortedHashes(index);
    long[] order;
    int[] from;
    int[] to;
    synchronized (this) {
      order = inOrder[index];
      from = starts[index];
      to = ends[index];
    }
    for (int k = 0; k < order.length; k++) {
      if (Arrays.binarySearch(sorted, order[k]) >= 0) {
        found.add(text.substring(from[k], to[k]));
      }
    }
    return found;
  }

  /** Calls {@code visitor} for every element of {@code list}, in order. */
  void forEach(ElementList list, ElementVisitor visitor) {
    int from = list.start();
    while (from < list.end()) {
      int comma = text.indexOf(',', from);
      int to = comma < 0 || comma > list.end() ? list.end() : comma;
      int a = from;
      while (a < to && Character.isWhitespace(text.charAt(a))) {
        a++;
      }
      int b = to;
      while (b > a && Character.isWhitespace(text.charAt(b - 1))) {
        b--;
      }
      if (b > a) {
        visitor.element(text, a, b);
      }
      from = to + 1;
    }
  }

  private static int count(String text, int from, int to) {
    int items = 0;
    boolean inItem = false;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!elementChar(c)) {
        return -1;
      }
      if (c == ',') {
        inItem = false;
      } else if (!Character.isWhitespace(c) && !inItem) {
        inItem = true;
        items++;
      }
    }
    return items;
  }

  /**
   * What the plain element forms are made of, with the commas and blanks between them; no quote,
   * brace, semicolon or comment sign.
   */
  static boolean elementChar(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '.' || c == ':' || c == '/' || c == '-' || c == '_' || c == ','
        || c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean onlyBlanksAndEquals(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c != '=' && !Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  private static int skipBlanks(String text, int from, int to) {
    int i = from;
    while (i < to && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
