package io.bulwark.controller.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Synthetic STIX 2.1 bundles for load tests: one indicator per IPv4 address, taken from the
 * benchmarking range 198.18.0.0/15 (RFC 2544), which no real host uses. Deterministic: the same
 * batch number gives the same ids and addresses.
 */
public final class FleetBundles {
  private FleetBundles() {}

  /** A bundle and the ids of its indicators. */
  public record Batch(byte[] json, List<String> indicatorIds) {}

  /** {@code count} indicators, numbered from {@code first} in the range (at most 131,072 in all). */
  public static Batch ipv4(int first, int count) {
    if (first < 0 || count < 0 || (long) first + count > (1 << 17)) {
      throw new IllegalArgumentException("198.18.0.0/15 holds 131072 addresses; asked for " + first + "+" + count);
    }
    StringBuilder json = new StringBuilder(count * 400 + 128);
    json.append("{\"type\":\"bundle\",\"id\":\"bundle--").append(uuid("bundle", first, count)).append("\",\"objects\":[");
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = first + i;
      String id = "indicator--" + uuid("indicator", n, 0);
      ids.add(id);
      String address = "198." + (18 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
      json.append(i == 0 ? "" : ",")
          .append("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"").append(id)
          .append("\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\"")
          .append(",\"name\":\"load test address ").append(address)
          .append("\",\"indicator_types\":[\"malicious-activity\"],\"pattern\":\"[ipv4-addr:value = '")
          .append(address).append("']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}");
    }
    json.append("]}");
    return new Batch(json.toString().getBytes(StandardCharsets.UTF_8), ids);
  }

  private static UUID uuid(String kind, int a, int b) {
    return UUID.nameUUIDFromBytes((kind + ":" + a + ":" + b).getBytes(StandardCharsets.UTF_8));
  }
}
