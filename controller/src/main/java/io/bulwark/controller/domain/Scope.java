package io.bulwark.controller.domain;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which devices a countermeasure applies to: every device, or those carrying a tag. Written
 * {@code all} or {@code tag:NAME}.
 */
public sealed interface Scope {
  Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  /** Whether a device with these tags is in scope. */
  boolean covers(List<String> deviceTags);

  /** The written form, the inverse of {@link #parse}. */
  String text();

  /** Every device. */
  record All() implements Scope {
    @Override
    public boolean covers(List<String> deviceTags) {
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
    public boolean covers(List<String> deviceTags) {
      return deviceTags.contains(tag);
    }

    @Override
    public String text() {
      return "tag:" + tag;
    }
  }

  /**
   * Parses {@code all} or {@code tag:NAME}.
   *
   * @throws InvalidRequestException naming the bad scope
   */
  static Scope parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("scope is required: use 'all' or 'tag:NAME'");
    }
    if (text.equals("all")) {
      return new All();
    }
    if (text.startsWith("tag:") && TAG.matcher(text.substring(4)).matches()) {
      return new Tag(text.substring(4));
    }
    throw new InvalidRequestException(
        "scope '" + text + "' is not valid: use 'all' or 'tag:NAME' (letters, digits, '_', '.', '-')");
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
