package io.bulwark.controller.ingest;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A STIX bundle of {@code count} IPv4 indicators generated as it is read, never held whole: each
 * indicator carries a description of {@code padding} characters, so a bundle of hundreds of
 * megabytes costs a few kilobytes of memory to produce.
 */
public final class GeneratedBundle extends InputStream {
  private final int count;
  private final String padding;
  private int next = -1;
  private byte[] current = "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["
      .getBytes(StandardCharsets.UTF_8);
  private int at;

  public GeneratedBundle(int count, int padding) {
    this.count = count;
    this.padding = "x".repeat(padding);
  }

  /** The bundle's size in bytes, without generating it. */
  public long size() {
    long header = current.length + 2;
    long perObject = indicator(0).length + 1;
    return header + perObject * count;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    while (at >= current.length) {
      next++;
      if (next > count) {
        return -1;
      }
      current = next == count ? "]}".getBytes(StandardCharsets.UTF_8) : indicator(next);
      at = 0;
    }
    int n = Math.min(length, current.length - at);
    System.arraycopy(current, at, buffer, offset, n);
    at += n;
    return n;
  }

  private byte[] indicator(int i) {
    String id = String.format("indicator--00000000-0000-4000-8000-%012d", i);
    String json = (i == 0 ? "" : ",") + "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id
        + "\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\","
        + "\"pattern\":\"[ipv4-addr:value = '" + (11 + i / 65536 % 200) + "." + (i / 256 % 256) + "." + (i % 256)
        + ".1']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\",\"description\":\"" + padding
        + "\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
