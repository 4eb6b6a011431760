package io.bulwark.rules.rpz;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.DeltaGenerator;
import io.bulwark.rules.spi.GenerationResult;
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
 * give {@link GenerationResult.Invalid}. {@link #delta} gives the change between two generations as
 * a DNS UPDATE script that also raises the serial.
 *
 * <p>Stateless and thread-safe.
 */
public final class RpzGenerator implements DeltaGenerator {

  /** The id this generator is registered under. */
  public static final String ID = "rpz";

  /** The name of the zone file. */
  public static final String FILE = "bulwark.rpz.zone";

  /** The name of the DNS UPDATE script a {@link #delta} writes, for {@code nsupdate}. */
  public static final String DELTA_FILE = "bulwark-delta.rpz.nsupdate";

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
    List<Uncovered> uncovered = new ArrayList<>();
    Map<String, CountermeasureTerms> owners = new TreeMap<>();
    Optional<GenerationResult.Invalid> problem = plan(input, owners, uncovered);
    if (problem.isPresent()) {
      return problem.get();
    }
    return GenerationResult.Rules.ofFile(FILE, write(input.generation(), owners), uncovered);
  }

  /**
   * Renders the change from the zone of {@code from} to the zone of {@code to} as a DNS UPDATE
   * script for {@code nsupdate}, {@link #DELTA_FILE}: {@code zone}, then {@code update delete} of
   * every owner name whose record went or changed, {@code update add} of every record that came or
   * changed, the SOA with the serial of {@code to}, and {@code send}, so the server applies it as
   * one update and secondaries see the new serial. Names are absolute. The serial must rise: a
   * {@code to} whose generation is not above that of {@code from} is {@link
   * GenerationResult.Invalid}. Comments (the countermeasure a record comes from) are not DNS data
   * and are not carried over.
   */
  @Override
  public GenerationResult delta(RuleInput from, RuleInput to) {
    Map<String, CountermeasureTerms> before = new TreeMap<>();
    Optional<GenerationResult.Invalid> problem = plan(from, before, new ArrayList<>());
    if (problem.isPresent()) {
      return new GenerationResult.Invalid("previous generation: " + problem.get().reason());
    }
    List<Uncovered> uncovered = new ArrayList<>();
    Map<String, CountermeasureTerms> after = new TreeMap<>();
    problem = plan(to, after, uncovered);
    if (problem.isPresent()) {
      return problem.get();
    }
    if (to.generation() <= from.generation()) {
      return new GenerationResult.Invalid(
          "rpz: the SOA serial must rise, but generation "
              + to.generation()
              + " follows "
              + from.generation());
    }
    String zone = options.zone().name() + ".";
    StringBuilder out = new StringBuilder("zone ").append(zone).append('\n');
    for (Map.Entry<String, CountermeasureTerms> owner : before.entrySet()) {
      String target = target(owner.getValue());
      CountermeasureTerms next = after.get(owner.getKey());
      if (next == null || !target(next).equals(target)) {
        for (String name : names(owner.getKey())) {
          out.append("update delete ").append(name).append('.').append(zone).append(" CNAME\n");
        }
      }
    }
    for (Map.Entry<String, CountermeasureTerms> owner : after.entrySet()) {
      String target = target(owner.getValue());
      CountermeasureTerms old = before.get(owner.getKey());
      if (old == null || !target(old).equals(target)) {
        for (String name : names(owner.getKey())) {
          out.append("update add ").append(name).append('.').append(zone).append(' ');
          out.append(options.ttl()).append(" CNAME ").append(target).append('\n');
        }
      }
    }
    out.append("update add ").append(zone).append(' ').append(options.ttl()).append(' ');
    soa(out, to.generation());
    out.append("send\n");
    return GenerationResult.Rules.ofFile(DELTA_FILE, out.toString(), uncovered);
  }

  /** Collects the policy records of a valid input, or says why there are none. */
  private Optional<GenerationResult.Invalid> plan(
      RuleInput input, Map<String, CountermeasureTerms> owners, List<Uncovered> uncovered) {
    Optional<GenerationResult.Invalid> problem = Countermeasures.problem(input);
    if (problem.isPresent()) {
      return problem;
    }
    if (input.generation() < 0 || input.generation() > 0xFFFF_FFFFL) {
      return Optional.of(
          new GenerationResult.Invalid(
              "rpz: generation " + input.generation() + " does not fit in an SOA serial"));
    }
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
      return Optional.of(
          Countermeasures.tooMany(ID, "zone " + options.zone(), records, options.maxRecords()));
    }
    return Optional.empty();
  }

  /** Returns the owner names of the records for {@code name}: it and, if configured, {@code *.}. */
  private List<String> names(String name) {
    return options.subdomains() ? List.of(name, "*." + name) : List.of(name);
  }

  /** Returns the CNAME target of a record of {@code cm}. */
  private String target(CountermeasureTerms cm) {
    if (cm.action() != Action.BLOCK) {
      return "rpz-passthru.";
    }
    return options.sinkhole() == null ? "." : options.sinkhole().name() + ".";
  }

  private void soa(StringBuilder out, long serial) {
    out.append("SOA localhost. hostmaster.localhost. ").append(serial);
    out.append(" 3600 600 86400 ").append(options.ttl()).append('\n');
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
    out.append("@ ");
    soa(out, serial);
    out.append("@ NS localhost.\n");
    for (Map.Entry<String, CountermeasureTerms> owner : owners.entrySet()) {
      CountermeasureTerms cm = owner.getValue();
      String target = target(cm);
      String comment = " ; cm" + cm.countermeasureId() + "\n";
      for (String name : names(owner.getKey())) {
        out.append(name).append(" CNAME ").append(target).append(comment);
      }
    }
    return out.toString();
  }
}
