package io.bulwark.controller.cli.demo;

import java.io.PrintStream;
import java.util.List;

/**
 * A table redrawn in place on a terminal; elsewhere (a log, CI) each changed table is printed
 * once, so the output still shows the states converging.
 */
final class LiveTable {
  private final PrintStream out;
  private final boolean terminal;
  private String last = "";
  private int lastLines;

  LiveTable(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Shows the table if it changed; {@code elapsed} is printed above it. */
  void show(String header, String table) {
    String text = header + "\n" + table;
    if (text.equals(last)) {
      return;
    }
    if (terminal && lastLines > 0) {
      out.print("\033[" + lastLines + "F\033[J");
    }
    out.print(text);
    out.flush();
    last = text;
    lastLines = (int) text.chars().filter(c -> c == '\n').count();
  }

  /** Stops redrawing over the last table. */
  void finish() {
    lastLines = 0;
    last = "";
  }

}
