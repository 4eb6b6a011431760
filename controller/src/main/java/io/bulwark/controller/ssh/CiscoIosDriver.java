package io.bulwark.controller.ssh;

import io.bulwark.controller.domain.BulwarkException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pushes the Cisco IOS generator's configuration. IOS has no candidate configuration: lines take
 * effect one by one, so the push runs under {@code configure terminal revert timer N} (the
 * archive feature), which saves the running configuration first. The lines remove every Bulwark
 * object-group and access list the device holds, then add the full text. On a device error the
 * driver rolls back at once with {@code configure revert now}; if the connection is lost the
 * device reverts by itself after N minutes. On a fresh session it reads the section back, sends
 * {@code configure confirm}, then {@code write memory}, and reads back once more. IOS has no
 * configuration lock here; the delivery runs one push per device at a time.
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
  public Outcome push(Sessions sessions, String rules) {
    boolean started = false;
    try {
      try (SshExecutor.Session s = sessions.open()) {
        SshExecutor.Result current = run(s, SHOW, "");
        if (current.exitCode() != 0) {
          return failed("cannot read the Bulwark section", current);
        }
        if (lines(current.stdout()).equals(lines(rules))) {
          return new Applied();
        }
        started = true; // from here on, a lost answer may hide changes the timer will revert
        SshExecutor.Result load = run(s, "configure terminal revert timer " + revertMinutes,
            removals(current.stdout()) + rules + "end\n");
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
    if (!lines(list.stdout()).equals(lines(rules))) {
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

  /**
   * The Bulwark blocks as IOS prints them: no {@code exit} lines, no access-list sequence numbers,
   * and not the operator's blocks that merely refer to a Bulwark list (an interface's {@code
   * ip access-group}).
   */
  private static List<String> lines(String text) {
    List<String> out = new java.util.ArrayList<>();
    boolean keep = false;
    for (String raw : text.lines().toList()) {
      String l = raw.stripTrailing();
      if (l.isBlank() || l.strip().equals("exit")) {
        continue;
      }
      if (!l.startsWith(" ")) {
        keep = l.contains("BULWARK");
      }
      if (keep) {
        out.add(l.startsWith(" ") ? " " + l.strip().replaceFirst("^[0-9]+ ", "") : l);
      }
    }
    return out;
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
