package io.bulwark.rules.yara;

import io.bulwark.rules.render.FileHashes;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.HashTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Renders file hashes as YARA rules using the {@code hash} module, in one file {@code bulwark.yar}.
 *
 * <p>One rule per countermeasure that has hashes, named {@code bulwark_cmN} and tagged {@code
 * block} or {@code alert}, whose condition compares the whole file's {@code hash.md5}, {@code
 * hash.sha1} or {@code hash.sha256} with each digest, sorted by algorithm and digest. Digests are
 * lower-case hex, because the module's functions return lower case and an upper-case literal would
 * compile and never match. The module has no SHA-512, so those terms are uncovered, as are all
 * other kinds. More hashes in total than the configured limit give {@link
 * GenerationResult.Invalid}.
 *
 * <p>YARA cannot redirect names, so every term of a SINKHOLE countermeasure is uncovered (see
 * {@link io.bulwark.rules.spi.Countermeasures#notSinkholed}): sinkhole is a DNS action, and its
 * other terms are enforced by no target.
 *
 * <p>Stateless and thread-safe.
 */
public final class YaraGenerator implements RuleGenerator {

  /** The id this generator is registered under. */
  public static final String ID = "yara";

  /** The name of the rules file. */
  public static final String FILE = "bulwark.yar";

  /** The default limit on hashes in one rule set. */
  public static final int DEFAULT_MAX_HASHES = 500_000;

  private final int maxHashes;

  /** A generator with {@link #DEFAULT_MAX_HASHES}. */
  public YaraGenerator() {
    this(DEFAULT_MAX_HASHES);
  }

  /**
   * A generator with a limit.
   *
   * @param maxHashes the most hashes one rule set may hold, positive
   */
  public YaraGenerator(int maxHashes) {
    if (maxHashes < 1) {
      throw new IllegalArgumentException("maxHashes must be positive");
    }
    this.maxHashes = maxHashes;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GenerationResult generate(RuleInput input) {
    Optional<GenerationResult.Invalid> problem = Countermeasures.problem(input);
    if (problem.isPresent()) {
      return problem.get();
    }
    List<Uncovered> uncovered = new ArrayList<>();
    StringBuilder out = new StringBuilder("import \"hash\"\n");
    int total = 0;
    for (CountermeasureTerms cm : Countermeasures.inRuleOrder(input)) {
      SortedSet<HashTerm> hashes =
          new TreeSet<>(FileHashes.of(ID, cm, "the yara hash module has no rule for ", uncovered));
      total += hashes.size();
      if (total > maxHashes) {
        return Countermeasures.tooMany(ID, "the rule set", countAll(input), maxHashes);
      }
      if (!hashes.isEmpty()) {
        rule(out, cm, hashes);
      }
    }
    return GenerationResult.Rules.ofFile(FILE, out.toString(), uncovered);
  }

  private static void rule(StringBuilder out, CountermeasureTerms cm, SortedSet<HashTerm> hashes) {
    String tag = cm.action().name().toLowerCase(java.util.Locale.ROOT);
    out.append("\nrule bulwark_cm").append(cm.countermeasureId()).append(" : ").append(tag);
    out.append("\n{\n\tmeta:\n\t\tcountermeasure = ").append(cm.countermeasureId());
    out.append("\n\tcondition:\n");
    int i = 0;
    for (HashTerm hash : hashes) {
      out.append("\t\thash.").append(hash.algorithm().keyword()).append("(0, filesize) == \"");
      out.append(hash.hex()).append('"').append(++i < hashes.size() ? " or\n" : "\n");
    }
    out.append("}\n");
  }

  private static int countAll(RuleInput input) {
    int count = 0;
    for (CountermeasureTerms cm : input.countermeasures()) {
      count += (int) cm.terms().stream().filter(FileHashes::matchable).distinct().count();
    }
    return count;
  }
}
