package io.bulwark.rules.term;

import java.util.Locale;
import java.util.Objects;

/**
 * An e-mail address, {@code local@domain}, in canonical form: the local part in lower case (no
 * mail system this protects tells addresses apart by case), the domain as {@link DomainTerm}.
 *
 * <p>The local part is 1 to 64 characters of the RFC 5322 dot-atom set (letters, digits and
 * {@code !#$%&'*+/=?^_`{|}~-}, with single dots between them); quoted local parts and address
 * literals ({@code user@[192.0.2.1]}) are rejected. The whole address is at most 254 characters.
 * No network device enforces an address: this term is for the targets that filter mail, and for
 * correlation and search; the others report it as uncovered.
 *
 * @param local the local part, canonical
 * @param domain the domain
 */
public record EmailTerm(String local, DomainTerm domain) implements Term, Comparable<EmailTerm> {

  /** The longest address (RFC 5321 path limit minus the angle brackets). */
  public static final int MAX_LENGTH = 254;

  private static final String ATOM = "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-";

  /**
   * Checks that the parts are canonical.
   *
   * @throws IllegalArgumentException when they are not; use {@link #parse} for text from a feed
   */
  public EmailTerm {
    Objects.requireNonNull(domain, "domain");
    String problem = localProblem(Objects.requireNonNull(local, "local"));
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (!local.equals(local.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("the local part is not in lower case");
    }
  }

  /**
   * Parses an untrusted address.
   *
   * @param text untrusted text, may be null
   * @return the canonical address, or why the text is not one
   */
  public static TermParse<EmailTerm> parse(String text) {
    if (text == null || text.isEmpty()) {
      return new TermParse.Invalid<>("empty value is not an e-mail address");
    }
    if (text.length() > MAX_LENGTH) {
      return new TermParse.Invalid<>("too long to be an e-mail address (" + text.length() + " characters)");
    }
    int at = text.lastIndexOf('@');
    if (at < 0) {
      return new TermParse.Invalid<>("an e-mail address needs an '@'");
    }
    String local = text.substring(0, at).toLowerCase(Locale.ROOT);
    String problem = localProblem(local);
    if (problem != null) {
      return new TermParse.Invalid<>(problem);
    }
    TermParse<DomainTerm> domain = DomainTerm.parse(text.substring(at + 1));
    if (domain instanceof TermParse.Invalid<DomainTerm> invalid) {
      return new TermParse.Invalid<>("the domain of the e-mail address: " + invalid.reason());
    }
    return new TermParse.Valid<>(new EmailTerm(local, ((TermParse.Valid<DomainTerm>) domain).term()));
  }

  private static String localProblem(String local) {
    if (local.isEmpty() || local.length() > 64) {
      return "the local part of an e-mail address must be 1 to 64 characters";
    }
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return "the local part of an e-mail address has a dot at its start or end, or two in a row";
    }
    for (int i = 0; i < local.length(); i++) {
      char c = Character.toLowerCase(local.charAt(i));
      if (c != '.' && ATOM.indexOf(c) < 0) {
        return "character " + (i + 1) + " of the local part is not allowed in an e-mail address";
      }
    }
    return null;
  }

  @Override
  public String kind() {
    return "email";
  }

  @Override
  public int compareTo(EmailTerm other) {
    int byDomain = domain.compareTo(other.domain);
    return byDomain != 0 ? byDomain : local.compareTo(other.local);
  }

  /** Returns {@code local@domain}. */
  @Override
  public String toString() {
    return local + "@" + domain.name();
  }
}
