package io.bulwark.rules.term;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;

/**
 * A DNS host name in canonical ASCII form: lower case, internationalised labels converted to
 * punycode ({@code xn--...}), no trailing dot.
 *
 * <p>Every label is 1 to 63 characters of letters, digits and hyphens, neither starting nor ending
 * with a hyphen (RFC 1035 host names, RFC 5890 A-labels); the name has at least two labels, at most
 * 253 characters, and its last label is not all digits (so an IPv4 literal is never a domain).
 * Wildcards, underscores and spaces are not host names and are rejected.
 *
 * @param name the canonical name, such as {@code xn--bcher-kva.example}
 */
public record DomainTerm(String name) implements Term, Comparable<DomainTerm> {

  /** The longest name in text form, without the trailing dot (RFC 1035 section 2.3.4). */
  public static final int MAX_LENGTH = 253;

  /** Input longer than this is rejected before any conversion is attempted. */
  static final int MAX_INPUT_LENGTH = 1024;

  /**
   * Checks that {@code name} is already canonical.
   *
   * @throws IllegalArgumentException when it is not; use {@link #parse} for text from a feed
   */
  public DomainTerm {
    Objects.requireNonNull(name, "name");
    String problem = labelProblem(name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Parses an untrusted host name. A single trailing dot (a fully qualified name) is accepted and
   * removed; upper case is folded and Unicode names are converted with {@link IDN#toASCII}.
   *
   * @param text untrusted text, may be null
   * @return the canonical domain, or why the text is not one
   */
  public static TermParse<DomainTerm> parse(String text) {
    if (text == null || text.isEmpty()) {
      return new TermParse.Invalid<>("empty value is not a domain name");
    }
    if (text.length() > MAX_INPUT_LENGTH) {
      return new TermParse.Invalid<>(
          "too long to be a domain name (" + text.length() + " characters)");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c == 0x7F || Character.isWhitespace(c) || Character.isISOControl(c)) {
        return new TermParse.Invalid<>("control character or space at " + i + " of a domain name");
      }
    }
    // Labels are converted one at a time so that errors name the label; the dots IDNA treats
    // as separators (ideographic and full-width full stops) split labels too.
    String[] labels = text.split("[.\u3002\uff0e\uff61]", -1);
    StringBuilder converted = new StringBuilder(text.length());
    for (int index = 0; index < labels.length; index++) {
      String label = labels[index];
      if (index == labels.length - 1 && label.isEmpty() && index > 0) {
        break; // one trailing dot: a fully qualified name
      }
      if (!label.chars().allMatch(c -> c < 0x80)) {
        try {
          // Without USE_STD3_ASCII_RULES: the label rules are checked below, with clearer
          // messages.
          label = IDN.toASCII(label, 0);
        } catch (IllegalArgumentException e) {
          return new TermParse.Invalid<>(
              "label "
                  + (index + 1)
                  + " of the domain name is not a valid internationalised label");
        }
      }
      converted.append(index == 0 ? "" : ".").append(label.toLowerCase(Locale.ROOT));
    }
    String ascii = converted.toString();
    String problem = labelProblem(ascii);
    return problem == null
        ? new TermParse.Valid<>(new DomainTerm(ascii))
        : new TermParse.Invalid<>(problem);
  }

  /** Returns null when {@code name} is a canonical host name, else what is wrong with it. */
  private static String labelProblem(String name) {
    if (name.isEmpty()) {
      return "empty value is not a domain name";
    }
    if (name.length() > MAX_LENGTH) {
      return "domain name is longer than " + MAX_LENGTH + " characters (" + name.length() + ")";
    }
    String[] labels = name.split("\\.", -1);
    if (labels.length < 2) {
      return "a domain name needs at least two labels";
    }
    for (int index = 0; index < labels.length; index++) {
      String label = labels[index];
      int number = index + 1;
      if (label.isEmpty()) {
        return "label " + number + " of the domain name is empty";
      }
      if (label.length() > 63) {
        return "label " + number + " of the domain name is longer than 63 characters";
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!allowed) {
          return "label " + number + " of the domain name has a character other than a-z, 0-9, -";
        }
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        return "label " + number + " of the domain name starts or ends with a hyphen";
      }
      // An A-label must decode; IDN.toUnicode returns its input unchanged when it does not.
      if (label.startsWith("xn--") && IDN.toUnicode(label, 0).equals(label)) {
        return "label " + number + " of the domain name is not valid punycode";
      }
    }
    if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "the last label of a domain name cannot be all digits";
    }
    return null;
  }

  /** Returns true when this name is {@code other} or a subdomain of it. */
  public boolean isWithin(DomainTerm other) {
    return name.equals(other.name) || name.endsWith("." + other.name);
  }

  @Override
  public String kind() {
    return "domain";
  }

  /** Orders by name. */
  @Override
  public int compareTo(DomainTerm other) {
    return name.compareTo(other.name);
  }

  /** Returns the canonical name. */
  @Override
  public String toString() {
    return name;
  }
}
