package io.bulwark.controller.domain;

/** Where a device stands against its desired state, as the CSIRT and auditors see it. */
public enum DeviceState {
  /** Enrolled, never connected yet. */
  ENROLLED,
  /** Applied generation and digest equal the desired ones. */
  COMPLIANT,
  /** Connected, but the desired generation is not applied yet. */
  PENDING,
  /** The device said it is applying the desired generation. */
  APPLYING,
  /** The device could not apply the desired generation; its error is kept. */
  FAILED,
  /** The device's live rules differ from what it applied (changed by hand); its summary is kept. */
  DRIFTED,
  /** Not connected now. */
  OFFLINE;

  /** The lower-case name used in the CLI, JSON output and reports. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
