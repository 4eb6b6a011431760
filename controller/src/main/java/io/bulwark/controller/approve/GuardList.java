package io.bulwark.controller.approve;

import io.bulwark.controller.domain.GuardEntry;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.SshDeviceStore;
import io.bulwark.controller.store.JdbcGuardEntries;
import io.bulwark.rules.term.Term;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The guard list the CSIRT edits, and what keeps {@link GuardRails} current with it and with the
 * managed devices' addresses (the agentless devices' hosts, as registered). Every change is in
 * force for the next ingest, preview and approval. Thread-safe.
 */
public final class GuardList {
  private static final int MAX_REASON = 1024;
  private final JdbcGuardEntries entries;
  private final SshDeviceStore sshDevices;
  private final GuardRails guardRails;
  private final Clock clock;

  public GuardList(JdbcGuardEntries entries, SshDeviceStore sshDevices, GuardRails guardRails, Clock clock) {
    this.entries = entries;
    this.sshDevices = sshDevices;
    this.guardRails = guardRails;
    this.clock = clock;
  }

  /** Reloads the entries and the device addresses into the guard rails; returns this. */
  public synchronized GuardList refresh() {
    List<GuardRails.Protected> devices = new ArrayList<>();
    for (var d : sshDevices.list()) {
      GuardRails.value(d.host()).ifPresent(v -> devices.add(new GuardRails.Protected(v, "managed device " + d.name())));
    }
    guardRails.update(entries.list(), devices);
    return this;
  }

  /** Every entry the CSIRT added, ordered by value. */
  public List<GuardEntry> list() {
    return entries.list();
  }

  /**
   * Adds or replaces an entry and puts it in force.
   *
   * @return the entry as stored, its value in canonical form
   * @throws InvalidRequestException naming a value that is not an address, prefix or domain, or a
   *     missing or overlong reason
   */
  public synchronized GuardEntry put(String value, GuardEntry.Effect effect, String reason, String by) {
    Optional<Term> parsed = GuardRails.value(value);
    if (parsed.isEmpty()) {
      throw new InvalidRequestException("'" + shorten(value) + "' is not an IP address, a prefix or a domain name");
    }
    String why = reason == null ? "" : reason.strip();
    if (why.isEmpty() || why.length() > MAX_REASON) {
      throw new InvalidRequestException("a guard entry needs a reason of 1 to " + MAX_REASON + " characters");
    }
    GuardEntry entry = new GuardEntry(parsed.get().toString(), effect, why, by, clock.instant());
    entries.put(entry);
    refresh();
    return entry;
  }

  /** Removes an entry; false when there was none for this value. */
  public synchronized boolean remove(String value) {
    String canonical = GuardRails.value(value).map(Term::toString).orElse(value == null ? "" : value.strip());
    boolean removed = entries.remove(canonical);
    refresh();
    return removed;
  }

  private static String shorten(String value) {
    String v = value == null ? "" : value;
    return v.length() > 80 ? v.substring(0, 80) + "..." : v;
  }
}
