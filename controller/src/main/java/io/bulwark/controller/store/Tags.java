package io.bulwark.controller.store;

import java.util.Arrays;
import java.util.List;

/** Tags are stored as one comma-separated column; tag syntax forbids commas. */
final class Tags {
  private Tags() {}

  static String join(List<String> tags) {
    return String.join(",", tags);
  }

  static List<String> split(String column) {
    return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(","));
  }
}
