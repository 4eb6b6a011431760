package io.bulwark.agent.apply;

import io.bulwark.agent.apply.IptablesHost.Chains;
import io.bulwark.agent.apply.IptablesHost.SetHeader;
import io.bulwark.agent.apply.IptablesHost.ToolException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies an iptables rule set ({@link IptablesRules}: ipsets plus the BULWARK filter chains, IPv4
 * and IPv6) and touches nothing else.
 *
 * <p>Order, so that each step that can fail comes before anything live changes:
 *
 * <ol>
 *   <li>the new contents are loaded into temporary sets ({@code bw-tmp-N}) with one {@code ipset
 *       restore}; sets that do not exist yet are renamed to their final names (nothing refers to
 *       them yet);
 *   <li>both chain files are checked with {@code iptables-restore --test} / {@code
 *       ip6tables-restore --test} against those sets;
 *   <li>each existing set is swapped with its temporary set ({@code ipset swap}, atomic per set,
 *       all in one {@code ipset restore});
 *   <li>each family's chains are flushed and refilled in one {@code iptables-restore --noflush}
 *       transaction, which also adds the jump from INPUT, FORWARD and OUTPUT (at position 1) where
 *       it is missing;
 *   <li>the old contents and the sets no longer used are destroyed.
 * </ol>
 *
 * A failure in the first two steps removes what they made and leaves the host as it was; a failure
 * later puts back the state read before the apply ({@link #snapshot}). The result is then read back
 * as {@link #inspect} does. Across the whole sequence the change is atomic per set and per family,
 * not as one transaction: the tools offer no more.
 *
 * <p>Not thread-safe: the agent applies one rule set at a time.
 */
public final class IptablesApplier implements Applier {

  public static final String KIND = "iptables";

  /** Up to this many elements in all, checks compare every element; above, counts and samples. */
  public static final int FULL_COMPARE_LIMIT = 10_000;

  /** How many elements a large rule set's check tests for membership. */
  static final int SAMPLES = 16;

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Why loading stopped, and whether the live rules had been changed by then. */
  private static final class LoadException extends Exception {
    final boolean touched;

    LoadException(String message, boolean touched) {
      super(message);
      this.touched = touched;
    }
  }

  private final IptablesHost host;

  /**
   * @param tools the commands to run
   * @param workDir where the restore files are written (the agent's data dir)
   */
  public IptablesApplier(IptablesTools tools, Path workDir) {
    this(tools, workDir, DEFAULT_TIMEOUT);
  }

  public IptablesApplier(IptablesTools tools, Path workDir, Duration timeout) {
    this.host = new IptablesHost(tools, workDir, timeout);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ApplyOutcome apply(String rules) {
    IptablesRules intended;
    try {
      intended = IptablesRules.parse(rules);
    } catch (IllegalArgumentException e) {
      return new ApplyOutcome.Failed("refused: " + e.getMessage());
    }
    Optional<String> previous = snapshot();
    if (previous.isEmpty()) {
      return new ApplyOutcome.Failed("cannot read the current ipsets and chains; nothing was changed");
    }
    try {
      load(intended);
    } catch (LoadException e) {
      return new ApplyOutcome.Failed(
          e.touched ? rollBack(previous.get(), e.getMessage()) : e.getMessage() + "; nothing was changed");
    }
    LiveState live = inspect(intended);
    if (!(live instanceof LiveState.InSync)) {
      String why = live instanceof LiveState.Drifted d ? d.difference() : ((LiveState.Unknown) live).reason();
      return new ApplyOutcome.Failed(rollBack(previous.get(), "read-back differs: " + why));
    }
    return new ApplyOutcome.Applied(intended.summary());
  }

  /** The BULWARK chains of both families and every {@code bw-} set, in the form apply reads. */
  @Override
  public Optional<String> snapshot() {
    try {
      // Sorted: ipset lists sets in creation order, which a rollback does not keep.
      List<String> names = ownSets(host.listSets()).stream().sorted().toList();
      Chains v4 = host.chains(false);
      Chains v6 = host.chains(true);
      if (names.isEmpty() && v4.isEmpty() && v6.isEmpty()) {
        return Optional.of("");
      }
      Map<String, String> files = new LinkedHashMap<>();
      files.put(IptablesRules.IPSET_FILE, host.saveSets(names));
      files.put(IptablesRules.IPV4_FILE, IptablesRules.chainsFile(v4.rules(), List.of()));
      files.put(IptablesRules.IPV6_FILE, IptablesRules.chainsFile(v6.rules(), List.of()));
      return Optional.of(RuleFiles.join(files));
    } catch (IOException | ToolException e) {
      return Optional.empty();
    }
  }

  @Override
  public ApplyOutcome restore(String snapshot) {
    try {
      if (snapshot.isEmpty()) {
        removeAll();
      } else {
        load(IptablesRules.parse(snapshot));
      }
      return new ApplyOutcome.Applied("restored the previous ipsets and chains");
    } catch (IllegalArgumentException e) {
      return new ApplyOutcome.Failed("cannot restore: " + e.getMessage());
    } catch (LoadException e) {
      return new ApplyOutcome.Failed(e.getMessage());
    }
  }

  /**
   * Compares with set headers ({@code ipset list -t}: names, types, element counts) and the chains
   * as iptables-save prints them. Up to {@link #FULL_COMPARE_LIMIT} elements, every element is
   * compared too ({@code ipset save}); above, {@link #SAMPLES} elements spread over the sets are
   * tested with {@code ipset test}, so a hand-made swap of one element for another in a large set
   * may go unseen while any addition or removal shows in the counts.
   */
  @Override
  public LiveState inspect(String appliedRules) {
    try {
      return inspect(IptablesRules.parse(appliedRules));
    } catch (IllegalArgumentException e) {
      return new LiveState.Unknown("cannot parse the applied rules: " + e.getMessage());
    }
  }

  private LiveState inspect(IptablesRules applied) {
    try {
      return IptablesComparison.firstDifference(host, applied)
          .<LiveState>map(LiveState.Drifted::new)
          .orElseGet(LiveState.InSync::new);
    } catch (IOException | ToolException e) {
      return new LiveState.Unknown(e.getMessage());
    }
  }

  private void load(IptablesRules intended) throws LoadException {
    List<String> created = new ArrayList<>();
    try {
      Map<String, SetHeader> live = host.listSets();
      destroyAll(live.keySet().stream().filter(n -> n.startsWith(IptablesRules.TEMP_PREFIX)).toList());
      StringBuilder stage = new StringBuilder();
      StringBuilder swap = new StringBuilder();
      List<String> retired = new ArrayList<>();
      int index = 0;
      for (IptablesRules.IpSet set : intended.sets().values()) {
        String temp = IptablesRules.TEMP_PREFIX + index++;
        stage.append("create ").append(temp).append(set.create().substring(("create " + set.name()).length()));
        stage.append('\n');
        set.elements().forEach(e -> stage.append("add ").append(temp).append(' ').append(e).append('\n'));
        SetHeader existing = live.get(set.name());
        if (existing == null) {
          stage.append("rename ").append(temp).append(' ').append(set.name()).append('\n');
          created.add(set.name());
        } else if (!existing.type().equals(set.type())) {
          throw new LoadException("set " + set.name() + " exists as " + existing.type() + ", not "
              + set.type() + "; remove it by hand", false);
        } else {
          swap.append("swap ").append(temp).append(' ').append(set.name()).append('\n');
          retired.add(temp);
        }
      }
      for (String name : ownSets(live)) {
        if (!intended.sets().containsKey(name)) {
          retired.add(name);
        }
      }
      String v4 = IptablesRules.chainsFile(intended.v4(), missingJumps(host.chains(false)));
      String v6 = IptablesRules.chainsFile(intended.v6(), missingJumps(host.chains(true)));
      try {
        host.restoreSets("bulwark-stage.ipset", stage.toString());
        host.restoreChains(false, true, v4);
        host.restoreChains(true, true, v6);
      } catch (ToolException e) {
        cleanUp(created);
        throw new LoadException(e.getMessage(), false);
      }
      try {
        host.restoreSets("bulwark-swap.ipset", swap.toString());
        host.restoreChains(false, false, v4);
        host.restoreChains(true, false, v6);
      } catch (ToolException e) {
        throw new LoadException(e.getMessage(), true);
      }
      Optional<String> stuck = destroyAll(retired);
      if (stuck.isPresent()) {
        throw new LoadException("cannot destroy the sets no longer used: " + stuck.get(), true);
      }
    } catch (IOException e) {
      throw new LoadException("cannot run the iptables tools: " + e.getMessage(), true);
    } catch (ToolException e) {
      throw new LoadException(e.getMessage(), false);
    }
  }

  private void removeAll() throws LoadException {
    try {
      for (boolean ipv6 : new boolean[] {false, true}) {
        Chains chains = host.chains(ipv6);
        if (chains.isEmpty()) {
          continue;
        }
        List<String> lines = new ArrayList<>();
        chains.jumps().forEach(builtIn -> lines.add("-D " + builtIn + " -j BULWARK-" + builtIn));
        IptablesRules.CHAINS.forEach(chain -> lines.add("-X " + chain));
        host.restoreChains(ipv6, false, IptablesRules.chainsFile(List.of(), lines));
      }
      Optional<String> stuck = destroyAll(ownSets(host.listSets()));
      if (stuck.isPresent()) {
        throw new LoadException("cannot destroy the sets: " + stuck.get(), true);
      }
    } catch (IOException | ToolException e) {
      throw new LoadException("cannot remove the BULWARK chains and sets: " + e.getMessage(), true);
    }
  }

  private String rollBack(String previous, String reason) {
    ApplyOutcome restored = restore(previous);
    return restored instanceof ApplyOutcome.Failed failed
        ? reason + "; restoring the previous rules failed: " + failed.error()
        : reason + "; the previous rules were restored";
  }

  /** After a failed first stage: the temporary sets and the new sets it made. */
  private void cleanUp(List<String> created) throws IOException, ToolException {
    List<String> names = new ArrayList<>();
    for (String name : host.listSets().keySet()) {
      if (name.startsWith(IptablesRules.TEMP_PREFIX) || created.contains(name)) {
        names.add(name);
      }
    }
    destroyAll(names);
  }

  /** Destroys {@code names} in one {@code ipset restore}; returns ipset's message if it failed. */
  private Optional<String> destroyAll(List<String> names) throws IOException {
    if (names.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    names.forEach(name -> text.append("destroy ").append(name).append('\n'));
    try {
      host.restoreSets("bulwark-destroy.ipset", text.toString());
      return Optional.empty();
    } catch (ToolException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The {@code bw-} sets, without temporary ones. */
  static List<String> ownSets(Map<String, SetHeader> live) {
    return live.keySet().stream()
        .filter(name -> name.startsWith("bw-") && !name.startsWith(IptablesRules.TEMP_PREFIX))
        .toList();
  }

  private static List<String> missingJumps(Chains chains) {
    List<String> lines = new ArrayList<>();
    for (String chain : IptablesRules.CHAINS) {
      String builtIn = chain.substring("BULWARK-".length());
      if (!chains.jumps().contains(builtIn)) {
        lines.add("-I " + builtIn + " 1 -j " + chain);
      }
    }
    return lines;
  }
}
