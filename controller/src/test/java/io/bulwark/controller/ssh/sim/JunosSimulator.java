package io.bulwark.controller.ssh.sim;

import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Junos-like CLI keeping a running and a per-session candidate configuration as {@code set}
 * lines: {@code configure exclusive}, {@code load set terminal} ({@code set}, {@code delete} and
 * {@code insert ... term A before term B} lines on stdin), {@code show | compare}, {@code commit
 * confirmed N} (rolled back by itself after N "minutes" of
 * {@code minute} each unless a later {@code commit} confirms it), {@code commit}, {@code rollback
 * 0|1}, {@code exit configuration-mode} and {@code show configuration | display set [| match W]}.
 * Leaving or losing the session drops its uncommitted changes and its lock, as Junos does.
 */
public final class JunosSimulator extends SimulatedDevice {
  private final Duration minute;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sim-junos-timer");
    t.setDaemon(true);
    return t;
  });
  private List<String> running = new ArrayList<>();
  private List<String> previous = new ArrayList<>();
  private Cli lockOwner;
  private ScheduledFuture<?> revert;
  private int reverts;
  private final List<String> typed = new ArrayList<>();

  private static final class Cli {
    List<String> candidate;
  }

  public JunosSimulator(String user, PublicKey authorised, Duration minute) throws Exception {
    this(user, authorised, null, minute);
  }

  /** A device that also (or only, when {@code authorised} is null) takes {@code password}. */
  public JunosSimulator(String user, PublicKey authorised, String password, Duration minute) throws Exception {
    super(user, authorised, password);
    this.minute = minute;
  }

  /** The running configuration now. */
  public synchronized List<String> running() {
    return List.copyOf(running);
  }

  /** Sets the running configuration, as if committed long ago. */
  public synchronized void setRunning(List<String> lines) {
    running = new ArrayList<>(lines);
  }

  /** How many unconfirmed commits were rolled back by the timer. */
  public synchronized int reverts() {
    return reverts;
  }

  @Override
  protected Object newCliState() {
    return new Cli();
  }

  @Override
  protected synchronized String execute(Object state, String command, List<String> stdin) throws CliError {
    Cli cli = (Cli) state;
    if (command.equals("configure exclusive")) {
      if (lockOwner != null && lockOwner != cli) {
        throw new CliError("error: configuration database locked by another user\nerror: configuration database modified");
      }
      lockOwner = cli;
      cli.candidate = new ArrayList<>(running);
      return "Entering configuration mode\n";
    }
    if (command.startsWith("show configuration | display set")) {
      String rest = command.substring("show configuration | display set".length()).strip();
      String word = rest.startsWith("| match ") ? rest.substring(8).strip() : "";
      StringBuilder out = new StringBuilder();
      running.stream().filter(l -> l.contains(word)).forEach(l -> out.append(l).append('\n'));
      return out.toString();
    }
    if (cli.candidate == null) {
      throw new CliError("error: unknown command: " + command);
    }
    switch (command) {
      case "load set terminal" -> {
        return load(cli, stdin);
      }
      case "show | compare" -> {
        StringBuilder out = new StringBuilder();
        running.stream().filter(l -> !cli.candidate.contains(l)).forEach(l -> out.append("- ").append(l).append('\n'));
        cli.candidate.stream().filter(l -> !running.contains(l)).forEach(l -> out.append("+ ").append(l).append('\n'));
        return out.toString();
      }
      case "commit" -> {
        commit(cli);
        return "commit complete\n";
      }
      case "rollback 0" -> {
        cli.candidate = new ArrayList<>(running);
        return "load complete\n";
      }
      case "rollback 1" -> {
        cli.candidate = new ArrayList<>(previous);
        return "load complete\n";
      }
      case "exit configuration-mode" -> {
        sessionEnded(cli);
        return "Exiting configuration mode\n";
      }
      default -> {
        if (command.matches("commit confirmed [1-9][0-9]{0,4}")) {
          int minutes = Integer.parseInt(command.substring("commit confirmed ".length()));
          List<String> before = new ArrayList<>(running);
          commit(cli);
          revert = timer.schedule(() -> rollBack(before), minute.toMillis() * minutes, TimeUnit.MILLISECONDS);
          return "commit confirmed will be automatically rolled back in " + minutes + " minutes unless confirmed\ncommit complete\n";
        }
        throw new CliError("syntax error: " + command);
      }
    }
  }

  private String load(Cli cli, List<String> lines) throws CliError {
    int errors = 0;
    StringBuilder out = new StringBuilder();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        checkFault(line);
      } catch (CliError e) {
        out.append(e.getMessage()).append('\n');
        errors++;
        continue;
      }
      typed.add(line);
      if (line.startsWith("insert ")) {
        if (!insert(cli.candidate, line)) {
          out.append("error: syntax error: ").append(line).append('\n');
          errors++;
        }
      } else if (line.startsWith("set ") && !cli.candidate.contains(line)) {
        cli.candidate.add(line);
      } else if (line.startsWith("delete ")) {
        String path = line.substring("delete ".length());
        cli.candidate.removeIf(l -> l.substring(4).equals(path) || l.substring(4).startsWith(path + " "));
      } else if (!line.startsWith("set ")) {
        out.append("error: syntax error: ").append(line).append('\n');
        errors++;
      }
    }
    if (errors > 0) {
      throw new CliError(out + "error: load complete (" + errors + " errors)");
    }
    return "load complete\n";
  }

  /**
   * {@code insert PATH term A before term B}: moves term A's lines to just before term B's, as Junos
   * orders filter terms; false when either term is missing.
   */
  private static boolean insert(List<String> candidate, String line) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("insert (.+) term (\\S+) before term (\\S+)").matcher(line);
    if (!m.matches()) {
      return false;
    }
    String moved = "set " + m.group(1) + " term " + m.group(2);
    String anchor = "set " + m.group(1) + " term " + m.group(3);
    java.util.function.Predicate<String> ofMoved = l -> l.equals(moved) || l.startsWith(moved + " ");
    List<String> lines = candidate.stream().filter(ofMoved).toList();
    if (lines.isEmpty()) {
      return false;
    }
    candidate.removeIf(ofMoved);
    int at = -1;
    for (int i = 0; i < candidate.size() && at < 0; i++) {
      if (candidate.get(i).equals(anchor) || candidate.get(i).startsWith(anchor + " ")) {
        at = i;
      }
    }
    if (at < 0) {
      candidate.addAll(lines);
      return false;
    }
    candidate.addAll(at, lines);
    return true;
  }

  /** Every line loaded since the last call. */
  public synchronized List<String> takeTyped() {
    List<String> out = List.copyOf(typed);
    typed.clear();
    return out;
  }

  private void commit(Cli cli) {
    if (revert != null) {
      revert.cancel(false);
      revert = null;
    }
    previous = running;
    running = new ArrayList<>(cli.candidate);
  }

  private synchronized void rollBack(List<String> before) {
    previous = running;
    running = before;
    revert = null;
    reverts++;
  }

  @Override
  protected synchronized void sessionEnded(Object state) {
    Cli cli = (Cli) state;
    cli.candidate = null;
    if (lockOwner == cli) {
      lockOwner = null;
    }
  }

  @Override
  public void close() throws java.io.IOException {
    timer.shutdownNow();
    super.close();
  }
}
