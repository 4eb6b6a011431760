package io.bulwark.agent.apply;

import io.bulwark.delta.LineDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the element lists of a rules text lie, by line, so that a line delta against that text
 * turns into element deletes and adds without reading the rest of it: the controller's delta names
 * the lines it replaces and the lines it puts in, and with one element per line (as Bulwark's
 * generator writes sets) those are the elements that change. The lines after the change are
 * found by arithmetic, so a run of deltas never walks the text. Immutable and thread-safe.
 *
 * <p>A delta maps only when every edit lies inside one element list of a set without intervals
 * and every line it removes or puts in is a plain element line: the list's first line keeps its
 * opening ({@code elements = { }), its last line its closing, every other line ends with a comma,
 * and elements are made of letters, digits, {@code . : / - _} and blanks. Anything else (a set
 * emptied or created, a rule changed, an interval set touched) does not map, and the applier
 * replaces the table instead.
 */
final class NftElementLines {

  /**
   * One element list by line.
   *
   * @param firstLine the line holding the opening and the first element
   * @param lastLine the line holding the last element and the closing brace
   * @param opening the first line's text before its first element, e.g. {@code "\t\telements = { "}
   * @param closing the last line's text after its last element, e.g. {@code " }"}
   * @param count the number of elements
   */
  record ListLines(
      String set, boolean interval, int firstLine, int lastLine, String opening, String closing, int count) {}

  /**
   * A delta as one {@code nft -f} transaction.
   *
   * @param script every delete, then every add; empty when no element changes
   * @param next the lines of the rules after the delta
   */
  record Change(String script, int added, int deleted, NftElementLines next) {}

  private final List<ListLines> lists;

  private NftElementLines(List<ListLines> lists) {
    this.lists = lists;
  }

  /** The lines of {@code raw}, the index of the rules text as the controller sent it. */
  static NftElementLines of(NftElementLists raw) {
    String text = raw.text();
    List<ListLines> lines = new ArrayList<>(raw.lists().size());
    int line = 0;
    int at = 0;
    for (NftElementLists.ElementList list : raw.lists()) {
      int firstLine = line + countBreaks(text, at, list.start());
      int lastLine = firstLine + countBreaks(text, list.start(), list.end());
      int lineStart = text.lastIndexOf('\n', list.start() - 1) + 1;
      int lineEnd = text.indexOf('\n', list.end());
      lineEnd = lineEnd < 0 ? text.length() : lineEnd;
      lines.add(new ListLines(list.set(), list.interval(), firstLine, lastLine,
          text.substring(lineStart, list.start()), text.substring(list.end(), lineEnd), list.count()));
      line = lastLine;
      at = list.end();
    }
    return new NftElementLines(List.copyOf(lines));
  }

  List<ListLines> lists() {
    return lists;
  }

  long elementCount() {
    long n = 0;
    for (ListLines list : lists) {
      n += list.count();
    }
    return n;
  }

  /**
   * The element change that {@code edits} make to {@code base} (the text these lines describe), or
   * null when they do not map (see the class comment), change more than {@code maxChanged} elements,
   * or would take a set across a {@linkplain NftSetSizes size hint} it was loaded with.
   */
  Change change(String base, List<LineDelta.Edit> edits, long maxChanged) {
    Map<Integer, Map<String, Integer>> net = new LinkedHashMap<>();
    int[] shift = new int[lists.size()];
    long touched = 0;
    for (LineDelta.Edit edit : edits) {
      int index = listOf(edit);
      if (index < 0 || lists.get(index).interval()) {
        return null;
      }
      ListLines list = lists.get(index);
      Map<String, Integer> counts = net.computeIfAbsent(index, i -> new HashMap<>());
      int deletedLines = deleted(base, edit, list, counts);
      int insertedLines = inserted(edit, list, counts);
      if (deletedLines < 0 || insertedLines < 0) {
        return null;
      }
      touched += deletedLines + insertedLines;
      if (touched > maxChanged) {
        return null;
      }
      shift[index] += edit.inserted().size() - edit.deleteCount();
    }
    return changeOf(net, shift);
  }

  private Change changeOf(Map<Integer, Map<String, Integer>> net, int[] shift) {
    StringBuilder deletes = new StringBuilder();
    StringBuilder adds = new StringBuilder();
    int added = 0;
    int deleted = 0;
    List<ListLines> next = new ArrayList<>(lists.size());
    int moved = 0;
    for (int i = 0; i < lists.size(); i++) {
      ListLines list = lists.get(i);
      List<String> gone = new ArrayList<>();
      List<String> fresh = new ArrayList<>();
      net.getOrDefault(i, Map.of()).forEach((element, n) -> {
        if (n < 0) {
          gone.add(element);
        } else if (n > 0) {
          fresh.add(element);
        }
      });
      int count = list.count() + fresh.size() - gone.size();
      if (count < 1 || NftSetSizes.hintFor(count) != NftSetSizes.hintFor(list.count())) {
        return null;
      }
      NftElementDelta.append(deletes, "delete", list.set(), gone);
      NftElementDelta.append(adds, "add", list.set(), fresh);
      deleted += gone.size();
      added += fresh.size();
      next.add(new ListLines(list.set(), list.interval(), list.firstLine() + moved,
          list.lastLine() + moved + shift[i], list.opening(), list.closing(), count));
      moved += shift[i];
    }
    return new Change(deletes.append(adds).toString(), added, deleted,
        new NftElementLines(List.copyOf(next)));
  }

  /** The list whose lines {@code edit} replaces or inserts between, or -1. */
  private int listOf(LineDelta.Edit edit) {
    int first = edit.baseLine();
    int last = first + edit.deleteCount() - 1;
    int low = 0;
    int high = lists.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      ListLines list = lists.get(mid);
      if (list.lastLine() < first) {
        low = mid + 1;
      } else if (list.firstLine() > Math.max(first, last)) {
        high = mid - 1;
      } else {
        boolean inside = edit.deleteCount() > 0
            ? first >= list.firstLine() && last <= list.lastLine()
            : first > list.firstLine() && first <= list.lastLine();
        return inside ? mid : -1;
      }
    }
    return -1;
  }

  /** Counts down the elements of the deleted lines; returns how many, or -1 if a line is not plain. */
  private static int deleted(String base, LineDelta.Edit edit, ListLines list, Map<String, Integer> counts) {
    int elements = 0;
    int from = edit.deletedFrom();
    for (int line = edit.baseLine(); line < edit.baseLine() + edit.deleteCount(); line++) {
      int end = base.indexOf('\n', from);
      end = end < 0 || end > edit.deletedTo() ? edit.deletedTo() : end;
      int n = elements(base.substring(from, end), line == list.firstLine(), line == list.lastLine(), list, counts, -1);
      if (n < 0) {
        return -1;
      }
      elements += n;
      from = end + 1;
    }
    return elements;
  }

  /** Counts up the elements of the inserted lines; returns how many, or -1 if a line is not plain. */
  private static int inserted(LineDelta.Edit edit, ListLines list, Map<String, Integer> counts) {
    List<String> lines = edit.inserted();
    boolean opensList = edit.deleteCount() > 0 && edit.baseLine() == list.firstLine();
    boolean closesList =
        edit.deleteCount() > 0 && edit.baseLine() + edit.deleteCount() - 1 == list.lastLine();
    if ((opensList || closesList) && lines.isEmpty()) {
      return -1;
    }
    int elements = 0;
    for (int i = 0; i < lines.size(); i++) {
      int n = elements(lines.get(i), opensList && i == 0, closesList && i == lines.size() - 1, list, counts, 1);
      if (n < 0) {
        return -1;
      }
      elements += n;
    }
    return elements;
  }

  /**
   * Adds {@code sign} to the count of each element on {@code line}; returns how many it holds, or
   * -1 when the line is not a plain element line in its place.
   */
  private static int elements(
      String line, boolean first, boolean last, ListLines list, Map<String, Integer> counts, int sign) {
    int from = 0;
    int to = line.length();
    if (first) {
      if (!line.startsWith(list.opening())) {
        return -1;
      }
      from = list.opening().length();
    }
    if (last) {
      if (!line.endsWith(list.closing()) || to - list.closing().length() < from) {
        return -1;
      }
      to -= list.closing().length();
    } else {
      if (to == from || line.charAt(to - 1) != ',') {
        return -1;
      }
      to--;
    }
    int n = 0;
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i == to || line.charAt(i) == ',') {
        String element = line.substring(start, i).strip();
        if (element.isEmpty() || !plain(element)) {
          return -1;
        }
        counts.merge(element, sign, Integer::sum);
        n++;
        start = i + 1;
      }
    }
    return n;
  }

  /** One element in the plain form {@link NftElementLists} indexes: no comma or line break in it. */
  private static boolean plain(String element) {
    for (int i = 0; i < element.length(); i++) {
      char c = element.charAt(i);
      if (!NftElementLists.elementChar(c) || c == ',' || c == '\n' || c == '\r') {
        return false;
      }
    }
    return true;
  }

  private static int countBreaks(String text, int from, int to) {
    int n = 0;
    for (int i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
      n++;
    }
    return n;
  }
}
