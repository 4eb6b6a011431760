package io.bulwark.controller.ssh;

import io.bulwark.controller.domain.BulwarkException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pushes the Cisco IOS generator's configuration. IOS has no candidate configuration: lines take
 * effect one by one, so the push runs under a revert timer ({@code configure terminal revert timer
 * N}, the archive feature), which saves the running configuration first. Where the device has the
 * configuration lock ({@code show configuration lock} answers), the lines are typed in {@code
 * configure terminal lock}, so no other session changes the configuration meanwhile; a device
 * locked by someone else is left untouched and the push fails saying so.
 *
 * <p>When the device reads back exactly the generation a {@link Delta} starts from, only the
 * delta's commands are typed; otherwise every Bulwark object-group and access list is removed and
 * the full text typed. On a device error the driver rolls back at once with {@code configure revert
 * now}; if the connection is lost the device reverts by itself after N minutes. On a fresh session
 * it reads the section back, sends {@code configure confirm}, then {@code write memory}, and reads
 * back once more. The delivery runs one push per device at a time.
 */
public final class CiscoIosDriver implements PlatformDriver {
  static final String SHOW = "show running-config | section BULWARK";
  private final int revertMinutes;

  /** @param revertMinutes how long the device waits for the confirm before it reverts, 1 or more */
  public CiscoIosDriver(int revertMinutes) {
    if (revertMinutes < 1) {
      throw new IllegalArgumentException("revertMinutes must be at least 1");
    }
    this.revertMinutes = revertMinutes;
  }

  @Override
  public String platform() {
    return "cisco-ios";
  }

  @Override
  public Outcome push(Sessions sessions, String rules, Delta delta) {
    boolean started = false;
    try {
      try (SshExecutor.Session s = sessions.open()) {
        SshExecutor.Result current = run(s, SHOW, "");
        if (current.exitCode() != 0) {
          return failed("cannot read the Bulwark section", current);
        }
        if (sameSection(current.stdout(), rules)) {
          return new Applied();
        }
        boolean lockable = run(s, "show configuration lock", "").exitCode() == 0;
        String lines = delta != null && sameSection(current.stdout(), delta.fromRules())
            ? delta.commands()
            : removals(current.stdout()) + rules;
        started = true; // from here on, a lost answer may hide changes the timer will revert
        SshExecutor.Result load;
        if (lockable) {
          SshExecutor.Result arm = run(s, "configure terminal revert timer " + revertMinutes, "end\n");
          if (arm.exitCode() != 0 || hasError(arm)) {
            return failed("cannot start a configuration with a revert timer; nothing changed", arm);
          }
          load = run(s, "configure terminal lock", lines + "end\n");
          if (load.exitCode() != 0 && locked(load)) {
            // Nothing of ours went in: cancel the timer rather than revert someone else's work.
            run(s, "configure confirm", "");
            return failed("configuration mode is locked by another session; nothing changed", load);
          }
        } else {
          load = run(s, "configure terminal revert timer " + revertMinutes, lines + "end\n");
        }
        if (load.exitCode() != 0 || hasError(load)) {
          SshExecutor.Result back = run(s, "configure revert now", "");
          String how = back.exitCode() == 0 ? "rolled back" : "rollback failed (" + back.stderr().strip() + ")";
          return failed("configuration refused; " + how, load);
        }
      }
      try (SshExecutor.Session fresh = sessions.open()) {
        Outcome check = verify(fresh, rules);
        if (check instanceof Failed f) {
          run(fresh, "configure revert now", "");
          return new Failed(f.output() + "; rolled back");
        }
        SshExecutor.Result confirm = run(fresh, "configure confirm", "");
        if (confirm.exitCode() != 0 || hasError(confirm)) {
          return failed("confirm failed; the device reverts within " + revertMinutes + " min", confirm);
        }
        SshExecutor.Result save = run(fresh, "write memory", "");
        if (save.exitCode() != 0 || !save.stdout().contains("[OK]")) {
          return failed("running configuration applied but not saved", save);
        }
        return verify(fresh, rules);
      }
    } catch (BulwarkException e) {
      String state = started
          ? "not confirmed; the device reverts by itself within " + revertMinutes + " min"
          : "nothing changed on the device";
      return new Failed(PlatformDriver.clip("connection lost during push (" + e.getMessage() + "); " + state));
    }
  }

  @Override
  public Outcome verify(SshExecutor.Session session, String rules) {
    SshExecutor.Result list = run(session, SHOW, "");
    if (list.exitCode() != 0) {
      return failed("read-back failed", list);
    }
    if (!sameSection(list.stdout(), rules)) {
      return new Failed("read-back differs from the rules sent");
    }
    return new Applied();
  }

  /** One {@code no} line per Bulwark block header found in the running section. */
  static String removals(String section) {
    Set<String> headers = new LinkedHashSet<>();
    for (String line : section.lines().toList()) {
      if (!line.startsWith(" ") && line.contains("BULWARK")
          && line.matches("(object-group network|ip access-list extended|ipv6 access-list) \\S+")) {
        headers.add("no " + line.strip());
      }
    }
    StringBuilder out = new StringBuilder();
    // Access lists first: they refer to the object groups.
    headers.stream().filter(h -> h.contains("access-list")).forEach(h -> out.append(h).append('\n'));
    headers.stream().filter(h -> !h.contains("access-list")).forEach(h -> out.append(h).append('\n'));
    return out.toString();
  }

  /** Whether two texts hold the same Bulwark configuration; see {@link #blocks}. */
  static boolean sameSection(String a, String b) {
    return blocks(a).equals(blocks(b));
  }

  /**
   * The Bulwark blocks as a device holds them, whatever the order they were typed in: blocks by
   * header; object-group entries as a set (IOS keeps them in the order added); access-list lines in
   * order, without sequence numbers (IOS does not print them, and a delta renumbers). No {@code
   * exit} lines, and not the operator's blocks that merely refer to a Bulwark list (an interface's
   * {@code ip access-group}).
   */
  private static Map<String, List<String>> blocks(String text) {
    Map<String, List<String>> out = new TreeMap<>();
    List<String> block = null;
    for (String raw : text.lines().toList()) {
      String l = raw.stripTrailing();
      if (l.isBlank() || l.strip().equals("exit")) {
        continue;
      }
      if (!l.startsWith(" ")) {
        block = l.contains("BULWARK") ? out.computeIfAbsent(l, k -> new ArrayList<>()) : null;
      } else if (block != null) {
        block.add(l.strip().replaceFirst("^(sequence )?[0-9]+ ", ""));
      }
    }
    out.forEach((header, lines) -> {
      if (header.startsWith("object-group ")) {
        lines.sort(null);
      }
    });
    return out;
  }

  private static boolean locked(SshExecutor.Result result) {
    return (result.stdout() + "\n" + result.stderr()).toLowerCase(java.util.Locale.ROOT).contains("locked");
  }

  private static boolean hasError(SshExecutor.Result result) {
    return (result.stdout() + "\n" + result.stderr()).lines().anyMatch(l -> l.startsWith("% "));
  }

  private static SshExecutor.Result run(SshExecutor.Session session, String command, String stdin) {
    SshExecutor.Result result = session.run(command, stdin);
    if (result.exitCode() < 0) {
      throw new BulwarkException("'" + command + "' ended without an exit status");
    }
    return result;
  }

  private static Outcome failed(String what, SshExecutor.Result result) {
    String output = (result.stdout() + "\n" + result.stderr()).strip();
    return new Failed(PlatformDriver.clip(what + ": " + output));
  }
}
