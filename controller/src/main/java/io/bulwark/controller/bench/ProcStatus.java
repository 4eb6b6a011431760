package io.bulwark.controller.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Figures of a process from Linux's /proc. */
public final class ProcStatus {
  private ProcStatus() {}

  /** VmRSS in KiB; -1 when unknown. */
  public static long rssKib(long pid) {
    return kibField(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
  }

  /** MemAvailable of the machine in KiB; -1 when unknown. */
  public static long availableKib() {
    return kibField(Path.of("/proc/meminfo"), "MemAvailable:");
  }

  /** The figure on the line of {@code file} that starts with {@code key}; -1 when there is none. */
  private static long kibField(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** User plus system CPU time of the process, in milliseconds; -1 when unknown. */
  static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Open file descriptors; -1 when unknown. */
  static long openFiles(long pid) {
    try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return files.count();
    } catch (IOException e) {
      return -1;
    }
  }
}
