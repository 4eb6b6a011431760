package io.bulwark.rules.term;

import io.bulwark.rules.stix.pattern.ComparisonExpression;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Comparison;
import io.bulwark.rules.stix.pattern.ComparisonExpression.ComparisonJoin;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Operator;
import io.bulwark.rules.stix.pattern.Connective;
import io.bulwark.rules.stix.pattern.ObservationExpression;
import io.bulwark.rules.stix.pattern.ObservationExpression.Observation;
import io.bulwark.rules.stix.pattern.ObservationExpression.ObservationJoin;
import io.bulwark.rules.stix.pattern.Pattern;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a parsed pattern into the enforceable terms it names, reporting every part it cannot.
 *
 * <p>Each observation is expanded into alternatives (its comparisons in disjunctive normal form,
 * with {@code IN} lists as alternatives); each alternative must reduce to terms of one kind:
 *
 * <ul>
 *   <li>{@code ipv4-addr:value}, {@code ipv6-addr:value} and {@code network-traffic:src_ref.value}
 *       / {@code dst_ref.value} give an {@link IpPrefix};
 *   <li>{@code network-traffic:dst_port = n} gives a {@link PortTerm} for the protocol named by
 *       {@code network-traffic:protocols[*]} in the same alternative, or for both TCP and UDP when
 *       none is named;
 *   <li>{@code domain-name:value} gives a {@link DomainTerm}, {@code url:value} a {@link UrlTerm},
 *       and {@code file:hashes.'MD5'} (or unquoted {@code MD5}), {@code 'SHA-1'}, {@code 'SHA-256'}
 *       and {@code 'SHA-512'} a {@link HashTerm}; hashes of one file under different algorithms
 *       joined by AND give one term each;
 *   <li>an alternative that combines kinds (an address AND a port, an address AND a file hash)
 *       cannot be one term and is reported as {@link Unenforceable}, as is every path with no term
 *       and every invalid value.
 * </ul>
 *
 * <p>Observations joined by OR or AND contribute the union of their terms: blocking each observable
 * also blocks their combination, and the analyst who approves the countermeasure sees the terms.
 * Values are parsed and re-rendered, never passed through.
 *
 * <p>Stateless and thread-safe; never throws for any pattern the parser accepts.
 */
public final class TermExtractor {

  /** The most alternatives one observation may expand to before it is reported as too complex. */
  public static final int MAX_ALTERNATIVES = 4096;

  private TermExtractor() {}

  /**
   * Extracts the terms of {@code pattern}.
   *
   * @param pattern a parsed pattern, never null
   * @return the distinct terms in order of first mention and the distinct unenforceable parts
   */
  public static Extraction extract(Pattern pattern) {
    Set<Term> terms = new LinkedHashSet<>();
    Set<Unenforceable> unenforceable = new LinkedHashSet<>();
    collect(pattern.expression(), terms, unenforceable);
    return new Extraction(new ArrayList<>(terms), new ArrayList<>(unenforceable));
  }

  private static void collect(
      ObservationExpression expression, Set<Term> terms, Set<Unenforceable> unenforceable) {
    if (expression instanceof ObservationJoin join) {
      collect(join.left(), terms, unenforceable);
      collect(join.right(), terms, unenforceable);
    } else if (expression instanceof Observation observation) {
      List<List<Fact>> alternatives;
      try {
        alternatives = alternatives(observation.comparison());
      } catch (TooComplex e) {
        unenforceable.add(
            new Unenforceable(
                "an observation expands to more than " + MAX_ALTERNATIVES + " alternatives"));
        return;
      }
      for (List<Fact> alternative : alternatives) {
        Conjunction.reduce(alternative, terms, unenforceable);
      }
    } else {
      unenforceable.add(new Unenforceable("unsupported observation expression " + expression));
    }
  }

  /** Expands a comparison expression into a disjunction of conjunctions of facts. */
  private static List<List<Fact>> alternatives(ComparisonExpression expression) {
    if (expression instanceof Comparison comparison
        && comparison.operator() != Operator.EQUAL
        && comparison.operator() != Operator.IN) {
      // Only = and IN name values a rule can match; the other operators describe ranges or shapes.
      String source = comparison.path().objectType() + " " + comparison.operator().symbol();
      String reason =
          "a comparison with "
              + comparison.operator().symbol()
              + " on "
              + comparison.path().objectType()
              + " is not enforced";
      return List.of(List.of(new Fact.Blocked(reason, source)));
    }
    if (expression instanceof Comparison comparison) {
      List<List<Fact>> result = new ArrayList<>();
      for (Fact fact : Fact.read(comparison)) {
        result.add(List.of(fact));
      }
      return bounded(result);
    }
    if (expression instanceof ComparisonJoin join) {
      List<List<Fact>> left = alternatives(join.left());
      List<List<Fact>> right = alternatives(join.right());
      if (join.connective() == Connective.OR) {
        if (left.size() + right.size() > MAX_ALTERNATIVES) {
          throw new TooComplex();
        }
        List<List<Fact>> union = new ArrayList<>(left);
        union.addAll(right);
        return union;
      }
      if ((long) left.size() * right.size() > MAX_ALTERNATIVES) {
        throw new TooComplex();
      }
      List<List<Fact>> product = new ArrayList<>();
      for (List<Fact> l : left) {
        for (List<Fact> r : right) {
          List<Fact> both = new ArrayList<>(l);
          both.addAll(r);
          product.add(both);
        }
      }
      return product;
    }
    String source = String.valueOf(expression);
    return List.of(List.of(new Fact.Blocked("unsupported comparison " + source, source)));
  }

  private static List<List<Fact>> bounded(List<List<Fact>> alternatives) {
    if (alternatives.size() > MAX_ALTERNATIVES) {
      throw new TooComplex();
    }
    return alternatives;
  }

  /** Raised while expanding; caught in {@link #collect}. */
  private static final class TooComplex extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooComplex() {
      super(null, null, false, false);
    }
  }
}
