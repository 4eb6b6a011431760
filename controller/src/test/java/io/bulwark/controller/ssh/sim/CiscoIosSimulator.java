package io.bulwark.controller.ssh.sim;

import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Cisco-IOS-like CLI keeping a running and a startup configuration as blocks (a header line and
 * its indented lines). {@code configure terminal [lock | revert timer N]} applies the configuration
 * lines on stdin one by one as IOS does, carrying on past a bad line with {@code % Invalid input};
 * with a revert timer it archives the running configuration first and goes back to it after N
 * "minutes" of {@code minute} each unless {@code configure confirm} comes, or at once on {@code
 * configure revert now}. With {@code lock} (configuration mode exclusive manual) no other session
 * may enter configuration mode until the lines are done; {@code show configuration lock} tells who
 * holds it, and answers {@code % Invalid input} on a device without the feature.
 *
 * <p>Access lists keep numbered entries with the remarks typed before each: {@code N entry} (IPv4),
 * {@code sequence N entry} (IPv6), an entry without a number goes last, {@code no N}, {@code no
 * remark ...}, and {@code ip[v6] access-list resequence NAME START STEP}. {@code show
 * running-config [| section W]} prints them in order, IPv4 entries without their numbers as IOS
 * does; object-group entries print in the order they were added; {@code write memory} saves.
 */
public final class CiscoIosSimulator extends SimulatedDevice {
  private static final String LOCKED =
      "Configuration mode locked exclusively by user 'admin' process '88' from terminal '2'. Please try later.";
  private final Duration minute;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sim-ios-timer");
    t.setDaemon(true);
    return t;
  });
  private Map<String, Block> running = new LinkedHashMap<>();
  private Map<String, Block> startup = new LinkedHashMap<>();
  private Map<String, Block> archive;
  private ScheduledFuture<?> revert;
  private int reverts;
  private boolean lockSupported = true;
  private Object lockOwner;
  private final List<String> typed = new ArrayList<>();
  private int lockedConfigurations;

  /** An access-list entry and the remarks typed before it. */
  private record Ace(String body, List<String> remarks) {}

  /** A configuration block: plain lines, or an access list's numbered entries. */
  private static final class Block {
    final List<String> lines = new ArrayList<>();
    final TreeMap<Long, Ace> aces = new TreeMap<>();

    Block copy() {
      Block b = new Block();
      b.lines.addAll(lines);
      aces.forEach((n, a) -> b.aces.put(n, new Ace(a.body(), new ArrayList<>(a.remarks()))));
      return b;
    }
  }

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
    synchronized (this) {
      typed.clear();
    }
  }

  public synchronized String startup() {
    return render(startup, "");
  }

  /** How many unconfirmed changes the revert timer undid. */
  public synchronized int reverts() {
    return reverts;
  }

  /** Whether the device has the configuration lock (configuration mode exclusive); it has by default. */
  public synchronized void lockSupported(boolean supported) {
    lockSupported = supported;
  }

  /** Another session enters {@code configure terminal lock} and stays there, or leaves it. */
  public synchronized void lockedByAnother(boolean locked) {
    lockOwner = locked ? "another session" : null;
  }

  /** How many times a session entered {@code configure terminal lock}. */
  public synchronized int lockedConfigurations() {
    return lockedConfigurations;
  }

  /** Every configuration line typed since the last call (not those given to {@link #configureDirectly}). */
  public synchronized List<String> takeTyped() {
    List<String> out = List.copyOf(typed);
    typed.clear();
    return out;
  }

  @Override
  protected Object newCliState() {
    return new Object();
  }

  @Override
  protected synchronized void sessionEnded(Object state) {
    if (lockOwner == state) {
      lockOwner = null;
    }
  }

  @Override
  protected String execute(Object state, String command, List<String> stdin) throws CliError {
    boolean lock = command.equals("configure terminal lock");
    if (command.equals("configure terminal") || lock || command.matches("configure terminal revert timer [1-9][0-9]{0,3}")) {
      synchronized (this) {
        if (lockOwner != null && lockOwner != state) {
          throw new CliError(LOCKED);
        }
        if (lock && !lockSupported) {
          throw new CliError("% Invalid input detected at '^' marker.");
        }
        if (lock) {
          lockOwner = state;
          lockedConfigurations++;
        }
        if (command.contains("revert") && revert == null) {
          archive = copy(running);
          int minutes = Integer.parseInt(command.substring(command.lastIndexOf(' ') + 1));
          revert = timer.schedule(this::revertNow, minute.toMillis() * minutes, TimeUnit.MILLISECONDS);
        }
      }
      try {
        return configure(stdin);
      } finally {
        synchronized (this) {
          if (lock && lockOwner == state) {
            lockOwner = null; // leaving configuration mode releases the lock
          }
        }
      }
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
        case "show configuration lock" -> {
          if (!lockSupported) {
            throw new CliError("% Invalid input detected at '^' marker.");
          }
          return "Parser Configure Lock\n---------------------\nOwner PID : " + (lockOwner == null ? "-1" : "88") + "\n";
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
    List<String> remarks = new ArrayList<>();
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
        typed.add(line);
        String problem = null;
        if (line.startsWith(" ")) {
          problem = block == null ? "% Invalid input detected at '^' marker." : blockLine(block, line.strip(), remarks);
        } else if (line.equals("exit")) {
          block = null;
          remarks.clear();
        } else if (line.matches("ipv?6? ?access-list resequence \\S+ [0-9]+ [0-9]+")) {
          problem = resequence(line.split(" "));
          block = null;
        } else if (line.startsWith("no ")) {
          running.remove(line.substring(3).strip());
          block = null;
        } else {
          // Any top-level line may open a mode (interface, object-group, access list).
          block = line;
          remarks.clear();
          running.computeIfAbsent(line, k -> new Block());
        }
        if (problem != null) {
          errors.append(line).append('\n').append(problem).append('\n');
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new CliError(errors.toString().strip());
    }
    return "";
  }

  /** One line inside a block; returns the device's complaint, or null. */
  private String blockLine(String header, String entry, List<String> remarks) {
    Block block = running.get(header);
    if (!isAcl(header)) {
      if (entry.startsWith("no ")) {
        block.lines.remove(entry.substring(3));
      } else if (!block.lines.contains(entry)) {
        block.lines.add(entry);
      }
      return null;
    }
    String numbered = entry.replaceFirst("^(no )?sequence ", "$1");
    if (numbered.startsWith("remark ")) {
      remarks.add(numbered.substring(7));
      return null;
    }
    if (numbered.startsWith("no remark ")) {
      String remark = numbered.substring(10);
      block.aces.values().forEach(a -> a.remarks().remove(remark));
      return null;
    }
    if (numbered.matches("no [0-9]+")) {
      return block.aces.remove(Long.parseLong(numbered.substring(3))) == null ? "% Sequence number does not exist" : null;
    }
    long sequence;
    String body;
    if (numbered.matches("[0-9]+ .*")) {
      sequence = Long.parseLong(numbered.substring(0, numbered.indexOf(' ')));
      body = numbered.substring(numbered.indexOf(' ') + 1);
    } else {
      sequence = block.aces.isEmpty() ? 10 : block.aces.lastKey() + 10;
      body = numbered;
    }
    if (block.aces.containsKey(sequence)) {
      return "% Duplicate sequence number";
    }
    if (block.aces.values().stream().anyMatch(a -> a.body().equals(body))) {
      return "% Duplicate entry";
    }
    block.aces.put(sequence, new Ace(body, new ArrayList<>(remarks)));
    remarks.clear();
    return null;
  }

  private String resequence(String[] words) {
    String name = words[words.length - 3];
    String header = words[0].equals("ipv6") ? "ipv6 access-list " + name : "ip access-list extended " + name;
    Block block = running.get(header);
    if (block == null) {
      return "% Access list " + name + " does not exist";
    }
    long start = Long.parseLong(words[words.length - 2]);
    long step = Long.parseLong(words[words.length - 1]);
    List<Ace> aces = new ArrayList<>(block.aces.values());
    block.aces.clear();
    for (int i = 0; i < aces.size(); i++) {
      block.aces.put(start + i * step, aces.get(i));
    }
    return null;
  }

  private static boolean isAcl(String header) {
    return header.startsWith("ip access-list extended ") || header.startsWith("ipv6 access-list ");
  }

  private synchronized void revertNow() {
    if (archive != null) {
      running = archive;
      archive = null;
      revert = null;
      reverts++;
    }
  }

  private static String render(Map<String, Block> config, String word) {
    StringBuilder out = new StringBuilder();
    config.forEach((header, block) -> {
      List<String> lines = new ArrayList<>(block.lines);
      boolean v6 = header.startsWith("ipv6 ");
      block.aces.forEach((n, ace) -> {
        ace.remarks().forEach(r -> lines.add("remark " + r));
        lines.add(v6 ? "sequence " + n + " " + ace.body() : ace.body());
      });
      if (word.isEmpty() || header.contains(word) || lines.stream().anyMatch(l -> l.contains(word))) {
        out.append(header).append('\n');
        lines.forEach(l -> out.append(' ').append(l).append('\n'));
      }
    });
    return out.toString();
  }

  private static Map<String, Block> copy(Map<String, Block> config) {
    Map<String, Block> out = new LinkedHashMap<>();
    config.forEach((k, v) -> out.put(k, v.copy()));
    return out;
  }

  @Override
  public void close() throws java.io.IOException {
    timer.shutdownNow();
    super.close();
  }
}
