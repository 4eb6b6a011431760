package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Devices, their desired states and their reports. Implementations are thread-safe; every
 * method is one transaction.
 */
public interface DeviceStore {

  /** Creates the device, or updates target and tags when it enrolls again. */
  void upsertEnrolled(String name, String target, List<String> tags, Instant at);

  Optional<Device> find(String name);

  /** All devices, ordered by name. */
  List<Device> list();

  /**
   * Stores a new desired generation if {@code digest} differs from the current desired digest.
   * Generations only rise: the new one is the current plus one. {@code countermeasureIds} are
   * the countermeasures the rule set carries, kept as evidence for reports.
   *
   * @return the new desired state, or empty when the digest was already desired
   * @throws UnknownDeviceException when the device does not exist
   */
  Optional<DesiredState> advanceDesired(
      String device, String target, String rules, String digest, java.util.List<Long> countermeasureIds);

  /** A new desired rule set for one device, for {@link #advanceDesiredAll}. */
  record Advance(String device, String target, String rules, String digest, List<Long> countermeasureIds) {
    public Advance {
      countermeasureIds = List.copyOf(countermeasureIds);
    }
  }

  /**
   * {@link #advanceDesired} for many devices in one transaction; devices whose digest is already
   * desired are left alone. A rule set shared by many devices is stored once.
   *
   * @return the new desired states, in the order given
   */
  List<DesiredState> advanceDesired(List<Advance> advances);

  /** The rules with this digest, from any generation of any device. */
  Optional<String> ruleSet(String digest);

  /** The devices of these names that exist, by name. */
  java.util.Map<String, Device> findAll(java.util.Collection<String> names);

  /**
   * One event of an agent stream for {@link #recordReports}: a report (or null), the report's
   * outbox sequence (0: none), and whether the stream opened or closed (null: no change). A report
   * of an opening stream is its hello, and {@code reportsThrough} the sequence of the last report
   * its agent had made then (0: none, or an agent that does not say): reports up to it that come
   * later, resent from the agent's outbox, are older than the hello and do not replace it as the
   * device's last report.
   */
  record Reported(String device, ApplyReport report, long sequence, Boolean connected, Instant at,
      long reportsThrough) {
    /** An event that is not a hello. */
    public Reported(String device, ApplyReport report, long sequence, Boolean connected, Instant at) {
      this(device, report, sequence, connected, at, 0);
    }

    /** A stream's hello: the agent's state then, and the sequence of its last report. */
    public static Reported hello(String device, ApplyReport state, long reportsThrough, Instant at) {
      return new Reported(device, state, 0, true, at, reportsThrough);
    }

    /** Whether this is a hello. */
    public boolean isHello() {
      return report != null && Boolean.TRUE.equals(connected);
    }
  }

  /**
   * Records many stream events in one transaction, in order: reports as {@link #recordReport}
   * does, connection changes as {@link #markConnected}, and the highest outbox sequence stored
   * per device (see {@code StatusSequences}), so that a report and its sequence are stored
   * together or not at all.
   *
   * @return the report of each existing device with a report among {@code events}, as it was
   *     before them, by name
   */
  Map<String, ApplyReport> recordReports(List<Reported> events);

  /** The devices whose applied generation is below {@code generation}, ordered by name (indexed). */
  List<Device> belowGeneration(long generation);

  /**
   * The devices whose desired generation carries countermeasure {@code id} but whose applied
   * generation does not: those that still lack it. Ordered by name.
   */
  List<Device> lacking(long countermeasureId);

  /** One device's generation. */
  record DeviceGeneration(String device, long generation) {}

  /**
   * The countermeasures carried by each device's applied and desired generations (both: a report
   * that raises the applied generation after this read, before the caller reads the devices, names
   * the generation that was desired here); generations that carry none are left out. At most two
   * entries per device, however many generations it went through.
   */
  Map<DeviceGeneration, Set<Long>> carriedByCurrent();

  /** When a device first applied a generation that carried a countermeasure. */
  record FirstApplied(String device, long countermeasureId, Instant at) {}

  /**
   * For each device and countermeasure it ever applied, when it first did (the evidence behind
   * compliance reports), ordered by device and countermeasure. Pairs never applied are left out.
   */
  List<FirstApplied> firstApplied();

  /**
   * What {@link #pruneHistory} removed.
   *
   * @param devices devices whose history was shortened
   * @param generations desired generations forgotten
   * @param applications records of a generation applied forgotten, once folded into first applications
   * @param ruleSets rule sets no longer referred to
   * @param countermeasureSets countermeasure sets no longer referred to
   */
  record Pruned(long devices, long generations, long applications, long ruleSets, long countermeasureSets) {}

  /**
   * Forgets each device's generations more than {@code keep} below the older of its applied and
   * desired ones, and the rule sets and countermeasure sets left unreferenced (an agent still on a
   * forgotten rule set gets full rules instead of a delta). Every other query of this store answers
   * as before, {@link #firstApplied} included, except after a report naming a generation already
   * forgotten: its countermeasures are not counted as applied then (a device that never applied a
   * generation keeps ten times as many). The audit log keeps each generation's number and digest.
   *
   * @param keep at least 1
   */
  Pruned pruneHistory(int keep);

  /** The current desired state, empty before the first. */
  Optional<DesiredState> currentDesired(String device);

  /**
   * What an agent's stream needs when it says hello, read at once: the highest status sequence
   * stored for the device and its current desired state.
   *
   * @param lastSequence 0 before the first report with a sequence
   * @param desired empty before the first desired state
   */
  record Greeting(long lastSequence, Optional<DesiredState> desired) {}

  /** The device's {@link Greeting}; empty when no such device is enrolled. */
  Optional<Greeting> greeting(String device);

  /** Records a report; the applied generation never goes back. */
  void recordReport(String device, ApplyReport report);

  /** Marks the agent's stream open or closed and updates {@code lastSeen}. */
  void markConnected(String device, boolean connected, Instant at);

  /** Marks every device disconnected; called when a controller starts. */
  void markAllDisconnected();
}
