package io.bulwark.controller.correlate;

import java.util.Locale;

/** How closely two indicators are linked, closest first (so the natural order sorts by it). */
public enum Level {
  /** The same STIX id, or every property but id, created and modified equal. */
  DUPLICATE,
  /** They reference the same STIX object or share an external reference such as a CVE id. */
  RELATED_HIGH,
  /** They share an observable value: a domain, URL or hash, or an IP inside the other's CIDR. */
  RELATED_LOW;

  /** The label shown to people: {@code duplicate}, {@code related-high}, {@code related-low}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
