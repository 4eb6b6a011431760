package io.bulwark.controller.ssh;

import io.bulwark.controller.domain.BulwarkException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pushes the Junos generator's {@code set} commands: {@code configure exclusive} (the lock), read
 * the running Bulwark section, {@code load set terminal} with the generator's delta when the device
 * reads back exactly the generation a {@link Delta} starts from, or else with deletes of every
 * Bulwark object it holds followed by the full text (either way the candidate holds exactly the new
 * section, applied in one atomic commit), {@code commit confirmed N}, then on a fresh session a read-back, {@code commit}
 * to confirm and a last read-back. A failed load or commit is rolled back in the candidate
 * ({@code rollback 0}); a lost connection drops the candidate with the lock, and an unconfirmed
 * commit is rolled back by the device itself after N minutes.
 */
public final class JunosDriver implements PlatformDriver {
  static final String SHOW = "show configuration | display set | match bulwark";
  private static final java.util.regex.Pattern TERM = java.util.regex.Pattern.compile("set (.* filter \\S+) term (\\S+)");
  private final int confirmMinutes;

  /** @param confirmMinutes how long the device waits for the confirm before it rolls back, 1 or more */
  public JunosDriver(int confirmMinutes) {
    if (confirmMinutes < 1) {
      throw new IllegalArgumentException("confirmMinutes must be at least 1");
    }
    this.confirmMinutes = confirmMinutes;
  }

  @Override
  public String platform() {
    return "junos";
  }

  @Override
  public Outcome push(Sessions sessions, String rules, Delta delta) {
    boolean committed = false;
    try {
      try (SshExecutor.Session s = sessions.open()) {
        SshExecutor.Result lock = run(s, "configure exclusive", "");
        if (lock.exitCode() != 0) {
          return failed("cannot lock the configuration", lock);
        }
        SshExecutor.Result current = run(s, SHOW, "");
        if (current.exitCode() != 0) {
          return abandon(s, "cannot read the Bulwark section", current);
        }
        String lines = delta != null && sameSection(current.stdout(), delta.fromRules())
            ? delta.commands()
            : deletes(current.stdout()) + rules;
        SshExecutor.Result load = run(s, "load set terminal", lines);
        if (load.exitCode() != 0) {
          return abandon(s, "load failed; the candidate was rolled back", load);
        }
        SshExecutor.Result diff = run(s, "show | compare", "");
        if (diff.exitCode() == 0 && diff.stdout().isBlank()) {
          run(s, "exit configuration-mode", "");
          return verifyOn(sessions, rules);
        }
        committed = true; // from here on, a lost answer may hide a commit that the device will roll back
        SshExecutor.Result commit = run(s, "commit confirmed " + confirmMinutes, "");
        if (commit.exitCode() != 0) {
          return abandon(s, "commit failed; the candidate was rolled back", commit);
        }
        run(s, "exit configuration-mode", "");
      }
      try (SshExecutor.Session fresh = sessions.open()) {
        Outcome check = verify(fresh, rules);
        if (check instanceof Failed f) {
          return new Failed(f.output() + "; not confirmed, the device rolls back within " + confirmMinutes + " min");
        }
        SshExecutor.Result lock = run(fresh, "configure exclusive", "");
        SshExecutor.Result confirm = lock.exitCode() == 0 ? run(fresh, "commit", "") : lock;
        if (confirm.exitCode() != 0) {
          return failed("confirm failed; the device rolls back within " + confirmMinutes + " min", confirm);
        }
        run(fresh, "exit configuration-mode", "");
        return verify(fresh, rules);
      }
    } catch (BulwarkException e) {
      String state = committed
          ? "not confirmed; the device rolls back by itself within " + confirmMinutes + " min"
          : "nothing committed; the device keeps its previous configuration";
      return new Failed(PlatformDriver.clip("connection lost during push (" + e.getMessage() + "); " + state));
    }
  }

  private Outcome verifyOn(Sessions sessions, String rules) {
    try (SshExecutor.Session fresh = sessions.open()) {
      return verify(fresh, rules);
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

  /** One delete per Bulwark object: the path up to its {@code bulwark-} name. */
  static String deletes(String section) {
    Set<String> paths = new LinkedHashSet<>();
    for (String line : lines(section)) {
      String[] words = line.split(" ");
      for (int i = 1; i < words.length; i++) {
        if (words[i].startsWith("bulwark")) {
          paths.add("delete " + String.join(" ", List.of(words).subList(1, i + 1)));
          break;
        }
      }
    }
    StringBuilder out = new StringBuilder();
    paths.forEach(p -> out.append(p).append('\n'));
    return out.toString();
  }

  /** Runs one command; a channel closed without an exit status means the connection is gone. */
  private static SshExecutor.Result run(SshExecutor.Session session, String command, String stdin) {
    SshExecutor.Result result = session.run(command, stdin);
    if (result.exitCode() < 0) {
      throw new BulwarkException("'" + command + "' ended without an exit status");
    }
    return result;
  }

  /**
   * Whether two texts hold the same Bulwark configuration: the same {@code set} lines, and the same
   * order of terms in each filter (the only order Junos keeps that matters; a delta appends lines a
   * full load would have typed earlier).
   */
  static boolean sameSection(String a, String b) {
    return shape(a).equals(shape(b));
  }

  private static List<String> shape(String text) {
    List<String> lines = new java.util.ArrayList<>(new java.util.TreeSet<>(lines(text)));
    Set<String> terms = new LinkedHashSet<>();
    for (String line : lines(text)) {
      java.util.regex.Matcher m = TERM.matcher(line);
      if (m.lookingAt()) {
        terms.add("order " + m.group(1) + " term " + m.group(2));
      }
    }
    lines.addAll(terms);
    return lines;
  }

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static Outcome abandon(SshExecutor.Session s, String what, SshExecutor.Result result) {
    run(s, "rollback 0", "");
    run(s, "exit configuration-mode", "");
    return failed(what, result);
  }

  private static Outcome failed(String what, SshExecutor.Result result) {
    String output = (result.stdout() + "\n" + result.stderr()).strip();
    return new Failed(PlatformDriver.clip(what + ": " + output));
  }
}
