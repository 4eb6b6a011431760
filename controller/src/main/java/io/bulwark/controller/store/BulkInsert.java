package io.bulwark.controller.store;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.postgresql.PGConnection;

/**
 * Inserts many rows into one table: on PostgreSQL with {@code COPY ... FROM STDIN}, which skips the
 * per-row statement work of even a rewritten batch, elsewhere as one JDBC batch. Rows are held until
 * {@link #execute}; values are {@link String}, {@link Long}, {@link Integer}, {@link Boolean} or
 * null. Column and table names are the caller's constants, never input. Not thread-safe: one per
 * statement, on the handle's thread.
 */
public final class BulkInsert {
  private final Handle handle;
  private final String table;
  private final String[] columns;
  private final PGConnection pg;
  private final StringBuilder copy;
  private final PreparedBatch batch;
  private int rows;

  private BulkInsert(Handle handle, String table, String[] columns) {
    this.handle = handle;
    this.table = table;
    this.columns = columns.clone();
    this.pg = postgres(handle.getConnection());
    this.copy = pg == null ? null : new StringBuilder(4096);
    this.batch = pg == null ? handle.prepareBatch(insertSql()) : null;
  }

  /** A bulk insert into {@code table} of the given columns, in that order. */
  public static BulkInsert into(Handle handle, String table, String... columns) {
    return new BulkInsert(handle, table, columns);
  }

  /** Adds one row: one value per column. */
  public BulkInsert add(Object... values) {
    if (values.length != columns.length) {
      throw new IllegalArgumentException(table + ": " + columns.length + " columns, " + values.length + " values");
    }
    rows++;
    if (batch != null) {
      batch.add(values);
      return this;
    }
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        copy.append('\t');
      }
      appendText(copy, values[i]);
    }
    copy.append('\n');
    return this;
  }

  /** How many rows are held. */
  public int size() {
    return rows;
  }

  /** Writes the rows held, if any. */
  public void execute() {
    if (rows == 0) {
      return;
    }
    if (batch != null) {
      batch.execute();
      return;
    }
    String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
    try {
      pg.getCopyAPI().copyIn(sql, new StringReader(copy.toString()));
    } catch (SQLException e) {
      throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
    } catch (IOException e) {
      throw new UncheckedIOException("COPY into " + table + " failed", e);
    }
  }

  private String insertSql() {
    String[] marks = new String[columns.length];
    Arrays.fill(marks, "?");
    return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + String.join(", ", marks) + ")";
  }

  /** One value in COPY's text format: {@code \N} for null, with backslash and the separators escaped. */
  static void appendText(StringBuilder out, Object value) {
    if (value == null) {
      out.append("\\N");
      return;
    }
    if (value instanceof Boolean b) {
      out.append(b ? 't' : 'f');
      return;
    }
    if (value instanceof Long || value instanceof Integer) {
      out.append(value);
      return;
    }
    String s = (String) value;
    int plain = 0;
    while (plain < s.length() && !special(s.charAt(plain))) {
      plain++;
    }
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
  }

  private static boolean special(char c) {
    return c == '\\' || c == '\n' || c == '\r' || c == '\t';
  }

  private static PGConnection postgres(Connection c) {
    try {
      return c.isWrapperFor(PGConnection.class) ? c.unwrap(PGConnection.class) : null;
    } catch (SQLException e) {
      return null;
    }
  }
}
