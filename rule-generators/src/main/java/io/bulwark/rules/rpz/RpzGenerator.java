package io.bulwark.rules.rpz;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.Countermeasures;
import io.bulwark.rules.spi.DeltaGenerator;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Sinkhole;
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
 * CNAME sinkhole.} when the zone has a sinkhole configured, and {@code CNAME rpz-passthru.} for
 * ALERT (the resolver answers normally and logs the hit). For SINKHOLE the record is the
 * countermeasure's own {@link io.bulwark.rules.spi.Sinkhole} as RPZ local data: {@code name CNAME
 * host.} for a host name, {@code name A address} or {@code name AAAA address} for an address. With
 * {@link RpzOptions#subdomains()} every name also gets {@code *.name}.
 *
 * <p>A name in several countermeasures gets one record: BLOCK wins over SINKHOLE, SINKHOLE over
 * ALERT. Among BLOCK or ALERT countermeasures the comment names the lowest id; among SINKHOLE
 * countermeasures the highest id wins, that is the one approved last, so a newer destination
 * replaces an older one for the names both cover.
 *
 * <p>Owner names are relative to the zone, so every name must still fit in 253 characters after the
 * zone is appended; a longer one is uncovered. Other kinds of terms are uncovered (for SINKHOLE
 * with the reason of {@link Countermeasures#notSinkholed}). A generation
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
        String type = target.substring(0, target.indexOf(' '));
        for (String name : names(owner.getKey())) {
          out.append("update delete ").append(name).append('.').append(zone);
          out.append(' ').append(type).append('\n');
        }
      }
    }
    for (Map.Entry<String, CountermeasureTerms> owner : after.entrySet()) {
      String target = target(owner.getValue());
      CountermeasureTerms old = before.get(owner.getKey());
      if (old == null || !target(old).equals(target)) {
        for (String name : names(owner.getKey())) {
          out.append("update add ").append(name).append('.').append(zone).append(' ');
          out.append(options.ttl()).append(' ').append(target).append('\n');
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
          String reason =
              cm.action() == Action.SINKHOLE
                  ? Countermeasures.notSinkholed(ID, term)
                  : "rpz rewrites DNS answers and has no rule for " + term.kind() + " terms";
          uncovered.add(new Uncovered(cm.countermeasureId(), term, reason));
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

  /** Returns the type and data of a record of {@code cm}, such as {@code CNAME .}. */
  private String target(CountermeasureTerms cm) {
    return switch (cm.action()) {
      case ALERT -> "CNAME rpz-passthru.";
      case BLOCK -> options.sinkhole() == null ? "CNAME ." : "CNAME " + options.sinkhole().name() + ".";
      case SINKHOLE -> localData(cm.sinkhole());
    };
  }

  /** Returns the record that sends a name to {@code sinkhole}: a CNAME to a host, else A or AAAA. */
  private static String localData(Sinkhole sinkhole) {
    if (sinkhole instanceof Sinkhole.Name name) {
      return "CNAME " + name.domain().name() + ".";
    }
    Sinkhole.Address address = (Sinkhole.Address) sinkhole;
    return (address.isV6() ? "AAAA " : "A ") + address.address();
  }

  private void soa(StringBuilder out, long serial) {
    out.append("SOA localhost. hostmaster.localhost. ").append(serial);
    out.append(" 3600 600 86400 ").append(options.ttl()).append('\n');
  }

  /**
   * BLOCK beats SINKHOLE beats ALERT; between two SINKHOLE the higher id (approved last) wins, between
   * other equal actions the lower id names the record.
   */
  private static CountermeasureTerms stronger(CountermeasureTerms a, CountermeasureTerms b) {
    if (a.action() != b.action()) {
      return rank(a.action()) > rank(b.action()) ? a : b;
    }
    if (a.action() == Action.SINKHOLE) {
      return a.countermeasureId() >= b.countermeasureId() ? a : b;
    }
    return a.countermeasureId() <= b.countermeasureId() ? a : b;
  }

  private static int rank(Action action) {
    return switch (action) {
      case BLOCK -> 2;
      case SINKHOLE -> 1;
      case ALERT -> 0;
    };
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
        out.append(name).append(' ').append(target).append(comment);
      }
    }
    return out.toString();
  }
}
