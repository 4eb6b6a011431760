package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.Map;

/** Who answers for each device (a person, a team, an address). Thread-safe; each method is one transaction. */
public interface DeviceOwners {

  /** Sets or replaces the owner of {@code device}, recording who did it and when. */
  void set(String device, String owner, String by, Instant at);

  /** Every device that has an owner: device name to owner. */
  Map<String, String> all();

  /** No owners at all; for reports built without an owner store. */
  DeviceOwners NONE = new DeviceOwners() {
    @Override
    public void set(String device, String owner, String by, Instant at) {
      throw new UnsupportedOperationException("no owner store");
    }

    @Override
    public Map<String, String> all() {
      return Map.of();
    }
  };
}
