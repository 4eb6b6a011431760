package io.bulwark.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints rows either as a JSON array of objects or as an aligned text table. Rows are ordered
 * maps; their keys are the JSON field names and the table's column headings.
 */
final class Output {
  enum Format {
    table,
    json
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Output() {}

  static void print(PrintStream out, Format format, List<Map<String, Object>> rows, List<String> tableColumns) {
    if (format == Format.json) {
      try {
        out.println(JSON.writeValueAsString(rows));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    out.print(table(rows, tableColumns));
  }

  /** An aligned table of the given columns; control characters in values are replaced. */
  static String table(List<Map<String, Object>> rows, List<String> columns) {
    List<String[]> cells = new ArrayList<>();
    cells.add(columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new));
    for (Map<String, Object> row : rows) {
      cells.add(columns.stream().map(c -> printable(row.get(c))).toArray(String[]::new));
    }
    int[] widths = new int[columns.size()];
    for (String[] r : cells) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : cells) {
      for (int i = 0; i < r.length; i++) {
        sb.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String printable(Object value) {
    String s = value == null ? "" : value.toString();
    s = s.replaceAll("\\p{Cntrl}", " ");
    return s.length() > 100 ? s.substring(0, 97) + "..." : s;
  }
}
