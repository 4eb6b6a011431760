package io.bulwark.rules.rpz;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Renders domain terms as a DNS Response Policy Zone file, {@code bulwark.rpz.zone}.
 *
 * <p>The zone starts with {@code $ORIGIN}, {@code $TTL}, an SOA record whose serial is the input's
 * generation (so it rises with every generation, as secondaries need) and an NS record. Then one
 * line per policy record, sorted by name: {@code name CNAME .} (NXDOMAIN) for BLOCK, or {@code
 * CNAME sinkhole.} when a sinkhole is configured, and {@code CNAME rpz-passthru.} for ALERT (the
 * resolver answers normally and logs the hit). With {@link RpzOptions#subdomains()} every name also
 * gets {@code *.name}. A name in several countermeasures gets one record: BLOCK wins over ALERT,
 * and the comment names the lowest countermeasure id with that action.
 *
 * <p>Owner names are relative to the zone, so every name must still fit in 253 characters after the
 * zone is appended; a longer one is uncovered. Other kinds of terms are uncovered. A generation
 * outside 0 to 4294967295 (an SOA serial) and more records than {@link RpzOptions#maxRecords()}
 * give {@link GenerationResult.Invalid}.
 *
 * <p>Stateless and thread-safe.
 */
public final class RpzGenerator implements RuleGenerator {

  /** The id this generator is registered under. */
  public static final String ID = "rpz";

  /** The name of the zone file. */
  public static final String FILE = "bulwark.rpz.zone";

  private final RpzOptions options;

  /** A generator with {@link RpzOptions#DEFAULTS}. */
  public RpzGenerator() {
    this(RpzOptions.DEFAULTS);
  }

  /** A generator with the given options. */
  public RpzGenerator(RpzOptions options) {
    this.options = options;
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
    if (input.generation() < 0 || input.generation() > 0xFFFF_FFFFL) {
      return new GenerationResult.Invalid(
          "rpz: generation " + input.generation() + " does not fit in an SOA serial");
    }
    List<Uncovered> uncovered = new ArrayList<>();
    Map<String, CountermeasureTerms> owners = new TreeMap<>();
    int room = DomainTerm.MAX_LENGTH - options.zone().name().length() - 1;
    int needed = options.subdomains() ? 2 : 0;
    for (CountermeasureTerms cm : Countermeasures.inRuleOrder(input)) {
      for (Term term : cm.terms()) {
        if (!(term instanceof DomainTerm domain)) {
          uncovered.add(
              new Uncovered(
                  cm.countermeasureId(),
                  term,
                  "rpz rewrites DNS answers and has no rule for " + term.kind() + " terms"));
        } else if (domain.name().length() + needed > room) {
          uncovered.add(
              new Uncovered(
                  cm.countermeasureId(), term, "too long to be a name in zone " + options.zone()));
        } else {
          owners.merge(domain.name(), cm, RpzGenerator::stronger);
        }
      }
    }
    int records = owners.size() * (options.subdomains() ? 2 : 1);
    if (records > options.maxRecords()) {
      return Countermeasures.tooMany(ID, "zone " + options.zone(), records, options.maxRecords());
    }
    return GenerationResult.Rules.ofFile(FILE, write(input.generation(), owners), uncovered);
  }

  /** BLOCK beats ALERT; between equal actions the lower id names the record. */
  private static CountermeasureTerms stronger(CountermeasureTerms a, CountermeasureTerms b) {
    if (a.action() != b.action()) {
      return a.action() == Action.BLOCK ? a : b;
    }
    return a.countermeasureId() <= b.countermeasureId() ? a : b;
  }

  private String write(long serial, Map<String, CountermeasureTerms> owners) {
    StringBuilder out = new StringBuilder(128 + owners.size() * 64);
    out.append("$ORIGIN ").append(options.zone().name()).append(".\n");
    out.append("$TTL ").append(options.ttl()).append('\n');
    out.append("@ SOA localhost. hostmaster.localhost. ").append(serial);
    out.append(" 3600 600 86400 ").append(options.ttl()).append('\n');
    out.append("@ NS localhost.\n");
    String block = options.sinkhole() == null ? "." : options.sinkhole().name() + ".";
    for (Map.Entry<String, CountermeasureTerms> owner : owners.entrySet()) {
      CountermeasureTerms cm = owner.getValue();
      String target = cm.action() == Action.BLOCK ? block : "rpz-passthru.";
      String comment = " ; cm" + cm.countermeasureId() + "\n";
      out.append(owner.getKey()).append(" CNAME ").append(target).append(comment);
      if (options.subdomains()) {
        out.append("*.").append(owner.getKey()).append(" CNAME ").append(target).append(comment);
      }
    }
    return out.toString();
  }
}
