package io.bulwark.controller.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Reads the rows of named devices: a few hundred names go in {@code IN} lists ({@link Chunks});
 * past {@link #SCAN_OVER} the table is read whole, once, which beats long {@code IN} lists (H2
 * checks each row against every value of one).
 */
final class DeviceRows {
  /** Above this many devices, a statement reads the whole table once instead of IN lists. */
  static final int SCAN_OVER = 200;

  private DeviceRows() {}

  /** What is done with each row of a named device. */
  @FunctionalInterface
  interface Row {
    void read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs {@code select} (columns {@code FROM devices}, the name first, no {@code WHERE}) followed by
   * {@code after} ({@code ORDER BY}, {@code FOR UPDATE}, or nothing) for the devices {@code names},
   * and gives {@code each} the rows of those devices only. Names sorted by the caller stay in
   * order across IN lists.
   */
  static void read(Handle h, String select, Collection<String> names, String after, Row each) {
    List<String> distinct = names.stream().distinct().toList();
    Set<String> wanted = new HashSet<>(distinct);
    for (List<String> chunk : distinct.size() > SCAN_OVER ? List.of(List.<String>of()) : Chunks.of(distinct)) {
      var query = h.createQuery(select + (chunk.isEmpty() ? "" : " WHERE name IN (<names>)") + after);
      if (!chunk.isEmpty()) {
        query.bindList("names", chunk);
      }
      query.scanResultSet((rows, ctx) -> {
        ResultSet rs = rows.get();
        while (rs.next()) {
          if (wanted.contains(rs.getString(1))) {
            each.read(rs);
          }
        }
        return null;
      });
    }
  }
}
