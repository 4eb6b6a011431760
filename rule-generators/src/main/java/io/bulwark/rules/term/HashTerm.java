package io.bulwark.rules.term;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A file hash: an algorithm and its digest as lower-case hex of exactly the algorithm's length.
 *
 * @param algorithm the hash algorithm, never null
 * @param hex the digest, lower-case hexadecimal of {@link Algorithm#hexLength()} characters
 */
public record HashTerm(Algorithm algorithm, String hex) implements Term, Comparable<HashTerm> {

  /** The hash algorithms a term can carry, with their STIX names (hashing-algorithm-ov). */
  public enum Algorithm {
    MD5("MD5", 32),
    SHA1("SHA-1", 40),
    SHA256("SHA-256", 64),
    SHA512("SHA-512", 128);

    private final String stixName;
    private final int hexLength;

    Algorithm(String stixName, int hexLength) {
      this.stixName = stixName;
      this.hexLength = hexLength;
    }

    /** Returns the name STIX uses as the key in {@code hashes}, such as {@code SHA-256}. */
    public String stixName() {
      return stixName;
    }

    /** Returns the number of hex digits of a digest. */
    public int hexLength() {
      return hexLength;
    }

    /** Returns the lower-case name without hyphen used by most tools: md5, sha1, sha256. */
    public String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Finds the algorithm whose STIX name is exactly {@code stixName}. */
    public static Optional<Algorithm> fromStixName(String stixName) {
      for (Algorithm algorithm : values()) {
        if (algorithm.stixName.equals(stixName)) {
          return Optional.of(algorithm);
        }
      }
      return Optional.empty();
    }
  }

  private static final Comparator<HashTerm> ORDER =
      Comparator.comparing(HashTerm::algorithm).thenComparing(HashTerm::hex);

  /**
   * Checks that {@code hex} is canonical.
   *
   * @throws IllegalArgumentException when it is not; use {@link #parse} for text from a feed
   */
  public HashTerm {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    String problem = problem(algorithm, hex);
    if (problem != null || !hex.equals(hex.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(problem != null ? problem : "hex must be lower case");
    }
  }

  /**
   * Parses an untrusted digest; upper-case hex is folded to lower case.
   *
   * @param algorithm the algorithm the digest claims to be, never null
   * @param text untrusted text, may be null
   * @return the hash, or why the text is not a digest of that algorithm
   */
  public static TermParse<HashTerm> parse(Algorithm algorithm, String text) {
    if (text == null) {
      return new TermParse.Invalid<>("empty value is not the " + algorithm.stixName() + " hash");
    }
    String problem = problem(algorithm, text);
    if (problem != null) {
      return new TermParse.Invalid<>(problem);
    }
    return new TermParse.Valid<>(new HashTerm(algorithm, text.toLowerCase(Locale.ROOT)));
  }

  private static String problem(Algorithm algorithm, String text) {
    if (text.length() != algorithm.hexLength()) {
      return algorithm.stixName()
          + " hash has "
          + algorithm.hexLength()
          + " hex digits, not "
          + text.length();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return "non-hex character at " + i + " of the " + algorithm.stixName() + " hash";
      }
    }
    return null;
  }

  @Override
  public String kind() {
    return "hash";
  }

  /** Orders by algorithm, then digest. */
  @Override
  public int compareTo(HashTerm other) {
    return ORDER.compare(this, other);
  }

  /** Returns {@code algorithm:hex}, for example {@code sha256:24d0...}. */
  @Override
  public String toString() {
    return algorithm.keyword() + ":" + hex;
  }
}
