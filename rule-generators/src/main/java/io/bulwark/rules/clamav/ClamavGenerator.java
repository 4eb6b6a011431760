package io.bulwark.rules.clamav;

import io.bulwark.rules.render.FileHashes;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.HashTerm.Algorithm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Renders file hashes as ClamAV hash signature databases: {@code bulwark.hdb} for MD5 and {@code
 * bulwark.hsb} for SHA-1 and SHA-256.
 *
 * <p>Each line is {@code hash:*:Bulwark.Block.cmN:73}: the file size is unknown ({@code *}), which
 * ClamAV only accepts with the minimum functionality level 73 appended. Lines are sorted by
 * algorithm and hash; a hash in several countermeasures gets one line, named after the lowest id
 * among those that BLOCK, else the lowest id. ClamAV refuses an empty database file, so a file with
 * no signatures is left out of the rule set; whoever installs it must remove a stale one. SHA-512
 * and every other kind of term are uncovered. More signatures than the configured limit give {@link
 * GenerationResult.Invalid}.
 *
 * <p>ClamAV cannot redirect names, so every term of a SINKHOLE countermeasure is uncovered (see
 * {@link io.bulwark.rules.spi.Countermeasures#notSinkholed}): sinkhole is a DNS action, and its
 * other terms are enforced by no target.
 *
 * <p>Stateless and thread-safe.
 */
public final class ClamavGenerator implements RuleGenerator {

  /** The id this generator is registered under. */
  public static final String ID = "clamav";

  /** The MD5 database. */
  public static final String MD5_FILE = "bulwark.hdb";

  /** The SHA-1 and SHA-256 database. */
  public static final String SHA_FILE = "bulwark.hsb";

  /** The default limit on signatures. */
  public static final int DEFAULT_MAX_SIGNATURES = 5_000_000;

  private final int maxSignatures;

  /** A generator with {@link #DEFAULT_MAX_SIGNATURES}. */
  public ClamavGenerator() {
    this(DEFAULT_MAX_SIGNATURES);
  }

  /**
   * A generator with a limit.
   *
   * @param maxSignatures the most signatures both files may hold together, positive
   */
  public ClamavGenerator(int maxSignatures) {
    if (maxSignatures < 1) {
      throw new IllegalArgumentException("maxSignatures must be positive");
    }
    this.maxSignatures = maxSignatures;
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
    Map<HashTerm, CountermeasureTerms> owners = new TreeMap<>();
    for (CountermeasureTerms cm : Countermeasures.inRuleOrder(input)) {
      for (HashTerm hash :
          FileHashes.of(ID, cm, "clamav hash databases have no signature for ", uncovered)) {
        owners.merge(hash, cm, ClamavGenerator::owner);
      }
    }
    if (owners.size() > maxSignatures) {
      return Countermeasures.tooMany(ID, "the databases", owners.size(), maxSignatures);
    }
    StringBuilder md5 = new StringBuilder();
    StringBuilder sha = new StringBuilder();
    for (Map.Entry<HashTerm, CountermeasureTerms> entry : owners.entrySet()) {
      HashTerm hash = entry.getKey();
      CountermeasureTerms cm = entry.getValue();
      String action = cm.action() == Action.BLOCK ? "Block" : "Alert";
      (hash.algorithm() == Algorithm.MD5 ? md5 : sha)
          .append(hash.hex())
          .append(":*:Bulwark.")
          .append(action)
          .append(".cm")
          .append(cm.countermeasureId())
          .append(":73\n");
    }
    Map<String, String> files = new LinkedHashMap<>();
    if (md5.length() > 0) {
      files.put(MD5_FILE, md5.toString());
    }
    if (sha.length() > 0) {
      files.put(SHA_FILE, sha.toString());
    }
    return GenerationResult.Rules.ofFiles(files, uncovered);
  }

  private static CountermeasureTerms owner(CountermeasureTerms a, CountermeasureTerms b) {
    if (a.action() != b.action()) {
      return a.action() == Action.BLOCK ? a : b;
    }
    return a.countermeasureId() <= b.countermeasureId() ? a : b;
  }
}
