package io.bulwark.controller.ssh.sim;

import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Cisco-IOS-like CLI keeping a running and a startup configuration as blocks (a header line and
 * its indented lines). {@code configure terminal [revert timer N]} applies the configuration lines
 * on stdin one by one as IOS does, carrying on past a bad line with {@code % Invalid input}; with
 * a revert timer it archives the running configuration first and goes back to it after N
 * "minutes" of {@code minute} each unless {@code configure confirm} comes, or at once on {@code
 * configure revert now}. {@code show running-config [| section W]} prints it, IPv4 access-list
 * entries without their sequence numbers as IOS does; {@code write memory} saves it.
 */
public final class CiscoIosSimulator extends SimulatedDevice {
  private final Duration minute;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sim-ios-timer");
    t.setDaemon(true);
    return t;
  });
  private Map<String, List<String>> running = new LinkedHashMap<>();
  private Map<String, List<String>> startup = new LinkedHashMap<>();
  private Map<String, List<String>> archive;
  private ScheduledFuture<?> revert;
  private int reverts;

  public CiscoIosSimulator(String user, PublicKey authorised, Duration minute) throws Exception {
    this(user, authorised, null, minute);
  }

  /** A device that also (or only, when {@code authorised} is null) takes {@code password}. */
  public CiscoIosSimulator(String user, PublicKey authorised, String password, Duration minute) throws Exception {
    super(user, authorised, password);
    this.minute = minute;
  }

  /** The running configuration as {@code show running-config} prints it. */
  public synchronized String running() {
    return render(running, "");
  }

  /** Applies {@code text} as configuration lines, as if configured long ago. */
  public void configureDirectly(String text) throws CliError {
    configure(text.lines().toList());
  }

  public synchronized String startup() {
    return render(startup, "");
  }

  /** How many unconfirmed changes the revert timer undid. */
  public synchronized int reverts() {
    return reverts;
  }

  @Override
  protected Object newCliState() {
    return new Object();
  }

  @Override
  protected void sessionEnded(Object state) {}

  @Override
  protected String execute(Object state, String command, List<String> stdin) throws CliError {
    if (command.equals("configure terminal") || command.matches("configure terminal revert timer [1-9][0-9]{0,3}")) {
      synchronized (this) {
        if (command.contains("revert") && revert == null) {
          archive = copy(running);
          int minutes = Integer.parseInt(command.substring(command.lastIndexOf(' ') + 1));
          revert = timer.schedule(this::revertNow, minute.toMillis() * minutes, TimeUnit.MILLISECONDS);
        }
      }
      return configure(stdin);
    }
    synchronized (this) {
      switch (command) {
        case "configure confirm" -> {
          if (revert == null) {
            throw new CliError("% No rollback confirmation pending");
          }
          revert.cancel(false);
          revert = null;
          archive = null;
          return "";
        }
        case "configure revert now" -> {
          if (revert == null) {
            throw new CliError("% No rollback confirmation pending");
          }
          revert.cancel(false);
          running = archive;
          revert = null;
          archive = null;
          return "Rollback Done\n";
        }
        case "write memory" -> {
          startup = copy(running);
          return "Building configuration...\n[OK]\n";
        }
        case "show running-config" -> {
          return render(running, "");
        }
        default -> {
          if (command.startsWith("show running-config | section ")) {
            return render(running, command.substring("show running-config | section ".length()).strip());
          }
          throw new CliError("% Invalid input detected at '^' marker.");
        }
      }
    }
  }

  /** Applies lines one at a time, each under the device lock, so a drop leaves what got in. */
  private String configure(List<String> lines) throws CliError {
    StringBuilder errors = new StringBuilder();
    String block = null;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      if (line.strip().equals("end")) {
        break;
      }
      try {
        checkFault(line);
      } catch (CliError e) {
        errors.append(line).append("\n% Invalid input detected at '^' marker.\n");
        continue;
      }
      synchronized (this) {
        if (line.startsWith(" ")) {
          if (block == null) {
            errors.append(line).append("\n% Invalid input detected at '^' marker.\n");
            continue;
          }
          String entry = line.strip();
          if (block.startsWith("ip access-list extended ")) {
            entry = entry.replaceFirst("^[0-9]+ ", "");
          }
          running.get(block).add(entry);
        } else if (line.equals("exit")) {
          block = null;
        } else if (line.startsWith("no ")) {
          running.remove(line.substring(3).strip());
          block = null;
        } else {
          // Any top-level line may open a mode (interface, object-group, access list).
          block = line;
          running.computeIfAbsent(line, k -> new ArrayList<>());
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new CliError(errors.toString().strip());
    }
    return "";
  }

  private synchronized void revertNow() {
    if (archive != null) {
      running = archive;
      archive = null;
      revert = null;
      reverts++;
    }
  }

  private static String render(Map<String, List<String>> config, String word) {
    StringBuilder out = new StringBuilder();
    config.forEach((header, lines) -> {
      if (word.isEmpty() || header.contains(word) || lines.stream().anyMatch(l -> l.contains(word))) {
        out.append(header).append('\n');
        lines.forEach(l -> out.append(' ').append(l).append('\n'));
      }
    });
    return out.toString();
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> config) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    config.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
    return out;
  }

  @Override
  public void close() throws java.io.IOException {
    timer.shutdownNow();
    super.close();
  }
}
