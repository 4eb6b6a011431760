package io.bulwark.controller.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which devices a countermeasure applies to: every device, those carrying a tag, named devices,
 * or any of several of these, minus any excluded by a part with a leading minus. Written {@code
 * all}, {@code tag:NAME}, {@code device:NAME}, or a comma-separated list such as {@code
 * tag:perimeter,device:fw-9} or {@code all,-tag:lab,-device:db-1}. An exclusion is part of the
 * decision and lasts as long as it; a device that must be left out for a while, with its own reason,
 * approver and expiry, gets a device exception instead.
 */
public sealed interface Scope {
  Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  /** The longest written form a store keeps. */
  int MAX_TEXT = 4096;

  /** Whether the device with this name and these tags is in scope. */
  boolean covers(String device, List<String> deviceTags);

  /** Whether {@code device} is in scope. */
  default boolean covers(Device device) {
    return covers(device.name(), device.tags());
  }

  /** The written form, the inverse of {@link #parse}. */
  String text();

  /**
   * Whether the scope starts from every device ({@code all}, with or without exclusions): what a
   * policy about fleet-wide decisions must look at.
   */
  default boolean startsFromAll() {
    return this instanceof All || (this instanceof Except e && e.included() instanceof All);
  }

  /** Every device. */
  record All() implements Scope {
    @Override
    public boolean covers(String device, List<String> deviceTags) {
      return true;
    }

    @Override
    public String text() {
      return "all";
    }
  }

  /** Devices carrying the tag. */
  record Tag(String tag) implements Scope {
    @Override
    public boolean covers(String device, List<String> deviceTags) {
      return deviceTags.contains(tag);
    }

    @Override
    public String text() {
      return "tag:" + tag;
    }
  }

  /** One device, by the name in its certificate. */
  record Named(String device) implements Scope {
    @Override
    public boolean covers(String name, List<String> deviceTags) {
      return device.equals(name);
    }

    @Override
    public String text() {
      return "device:" + device;
    }
  }

  /** Devices in any of the parts (none of them {@code all}, none itself a list). */
  record AnyOf(List<Scope> parts) implements Scope {
    public AnyOf {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean covers(String device, List<String> deviceTags) {
      return parts.stream().anyMatch(p -> p.covers(device, deviceTags));
    }

    @Override
    public String text() {
      return String.join(",", parts.stream().map(Scope::text).toList());
    }
  }

  /** The devices of {@code included} that no part of {@code excluded} covers. */
  record Except(Scope included, List<Scope> excluded) implements Scope {
    public Except {
      excluded = List.copyOf(excluded);
    }

    @Override
    public boolean covers(String device, List<String> deviceTags) {
      return included.covers(device, deviceTags) && excluded.stream().noneMatch(e -> e.covers(device, deviceTags));
    }

    @Override
    public String text() {
      return included.text() + "," + String.join(",", excluded.stream().map(e -> "-" + e.text()).toList());
    }
  }

  /**
   * Parses {@code all}, {@code tag:NAME}, {@code device:NAME} or a comma-separated list of them,
   * where a part with a leading {@code -} ({@code -tag:NAME}, {@code -device:NAME}) excludes what
   * it names. A list that includes {@code all} is {@code all} minus the exclusions; repeated parts
   * count once.
   *
   * @throws InvalidRequestException naming the bad scope or part
   */
  static Scope parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("scope is required: use 'all', 'tag:NAME' or 'device:NAME'");
    }
    if (text.length() > MAX_TEXT) {
      throw new InvalidRequestException("scope is longer than " + MAX_TEXT + " characters: use tags");
    }
    LinkedHashSet<Scope> excluded = new LinkedHashSet<>();
    List<String> included = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.trim();
      if (p.startsWith("-")) {
        Scope e = parsePart(p.substring(1), text);
        if (e instanceof All) {
          throw new InvalidRequestException("scope '" + text + "' excludes every device ('-all')");
        }
        excluded.add(e);
      } else {
        included.add(p);
      }
    }
    if (included.isEmpty()) {
      throw new InvalidRequestException("scope '" + text + "' only excludes: name the devices it covers first,"
          + " for example 'all," + text.trim() + "'");
    }
    Scope base = parseIncluded(String.join(",", included), text);
    return excluded.isEmpty() ? base : new Except(base, new ArrayList<>(excluded));
  }

  private static Scope parseIncluded(String text, String whole) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("scope is required: use 'all', 'tag:NAME' or 'device:NAME'");
    }
    if (text.length() > MAX_TEXT) {
      throw new InvalidRequestException("scope is longer than " + MAX_TEXT + " characters: use tags");
    }
    LinkedHashSet<Scope> parts = new LinkedHashSet<>();
    for (String part : text.split(",", -1)) {
      Scope s = parsePart(part.trim(), whole);
      if (s instanceof All) {
        return s;
      }
      parts.add(s);
    }
    return parts.size() == 1 ? parts.iterator().next() : new AnyOf(new ArrayList<>(parts));
  }

  private static Scope parsePart(String part, String whole) {
    if (part.equals("all")) {
      return new All();
    }
    if (part.startsWith("tag:") && TAG.matcher(part.substring(4)).matches()) {
      return new Tag(part.substring(4));
    }
    if (part.startsWith("device:") && TAG.matcher(part.substring(7)).matches()) {
      return new Named(part.substring(7));
    }
    throw new InvalidRequestException("scope '" + whole + "' is not valid at '" + part
        + "': use 'all', 'tag:NAME' or 'device:NAME' (letters, digits, '_', '.', '-'), separated by commas,"
        + " and '-tag:NAME' or '-device:NAME' to leave devices out");
  }

  /** Checks a tag given at enrollment. */
  static String checkTag(String tag) {
    if (!TAG.matcher(tag).matches()) {
      throw new InvalidRequestException(
          "tag '" + tag + "' is not valid: letters, digits, '_', '.', '-', at most 63 characters");
    }
    return tag;
  }
}
