package io.bulwark.rules.stix.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bulwark.rules.stix.pattern.ComparisonExpression.Comparison;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Operator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random trees of every node type print as text that parses back to an equal tree: the printer's
 * parentheses, quoting and number spelling are checked against the parser on thousands of shapes no
 * hand-written case covers. The seed is fixed, so a failure repeats.
 */
class PatternRoundTripTest {

  private static final String[] WORDS = {
    "a", "file", "x_y", "AND", "true", "TIMES", "SHA-256", "", "it's", "x\\y", "line\nbreak"
  };
  private final Random random = new Random(20161201);

  @Test
  void randomTrees_printAsTextThatParsesBackToTheSameTree() {
    for (int i = 0; i < 5000; i++) {
      Pattern tree = new Pattern(observations(3));
      String text = tree.toString();

      PatternResult parsed = PatternParser.parse(text);

      assertEquals(
          tree,
          assertInstanceOf(PatternResult.Parsed.class, parsed, () -> text + " -> " + parsed)
              .pattern(),
          text);
    }
  }

  private ObservationExpression observations(int depth) {
    int choice = depth == 0 ? 0 : random.nextInt(4);
    return switch (choice) {
      case 0 -> new ObservationExpression.Observation(comparisons(2));
      case 1, 2 ->
          new ObservationExpression.ObservationJoin(
              Connective.values()[random.nextInt(3)],
              observations(depth - 1),
              observations(depth - 1));
      default -> new ObservationExpression.Qualified(observations(depth - 1), qualifier());
    };
  }

  private Qualifier qualifier() {
    return switch (random.nextInt(3)) {
      case 0 ->
          new Qualifier.Within(
              new BigDecimal(BigInteger.valueOf(random.nextInt(100_000)), random.nextInt(4)));
      case 1 -> new Qualifier.Repeats(random.nextLong() & Long.MAX_VALUE);
      default ->
          new Qualifier.StartStop(
              new Literal.TimestampLiteral("2016-01-01T00:00:00Z"), timestamp("2017"));
    };
  }

  private ComparisonExpression comparisons(int depth) {
    int choice = depth == 0 ? random.nextInt(3) : random.nextInt(5);
    return switch (choice) {
      case 0 -> comparison();
      case 1 -> new ComparisonExpression.NegatedComparison(comparison());
      case 2 -> new ComparisonExpression.Exists(path());
      default ->
          new ComparisonExpression.ComparisonJoin(
              random.nextBoolean() ? Connective.AND : Connective.OR,
              comparisons(depth - 1),
              comparisons(depth - 1));
    };
  }

  private Comparison comparison() {
    Operator operator = Operator.values()[random.nextInt(Operator.values().length)];
    Literal value;
    if (operator == Operator.IN) {
      List<Literal> elements = new ArrayList<>();
      for (int n = random.nextInt(4); n > 0; n--) {
        elements.add(constant(false));
      }
      value = new Literal.SetLiteral(elements);
    } else if (operator.takesString()) {
      value = new Literal.StringLiteral(word());
    } else {
      value = constant(operator.isOrdering());
    }
    return new Comparison(path(), operator, value);
  }

  private Literal constant(boolean orderable) {
    return switch (random.nextInt(orderable ? 6 : 7)) {
      case 0 -> new Literal.StringLiteral(word());
      case 1 ->
          new Literal.IntegerLiteral(
              random.nextBoolean() ? random.nextLong() : random.nextInt(10) - 5);
      case 2 ->
          new Literal.FloatLiteral(
              random.nextBoolean()
                  ? Double.longBitsToDouble(random.nextLong() >>> 2)
                      * (random.nextBoolean() ? -1 : 1)
                  : -0.0);
      case 3 -> timestamp(String.valueOf(1900 + random.nextInt(200)));
      case 4 ->
          new Literal.BinaryLiteral(
              Base64.getEncoder().encodeToString(bytes(1 + random.nextInt(7))));
      case 5 -> new Literal.HexLiteral(hex(random.nextInt(5)));
      default -> new Literal.BooleanLiteral(random.nextBoolean());
    };
  }

  private Literal.TimestampLiteral timestamp(String year) {
    String fraction =
        random.nextBoolean() ? "" : "." + "0123456789".substring(0, 1 + random.nextInt(9));
    return new Literal.TimestampLiteral(
        String.format(
            "%s-%02d-%02dT%02d:%02d:%02d%sZ",
            year,
            1 + random.nextInt(12),
            1 + random.nextInt(31),
            random.nextInt(24),
            random.nextInt(60),
            random.nextInt(61),
            fraction));
  }

  private ObjectPath path() {
    List<ObjectPath.Step> steps = new ArrayList<>();
    steps.add(new ObjectPath.Property(word()));
    for (int n = random.nextInt(3); n > 0; n--) {
      steps.add(
          switch (random.nextInt(3)) {
            case 0 -> new ObjectPath.Property(word());
            case 1 -> new ObjectPath.Index(random.nextInt());
            default -> new ObjectPath.AnyIndex();
          });
    }
    return new ObjectPath(random.nextBoolean() ? "ipv4-addr" : "x-custom_type", steps);
  }

  private String word() {
    return WORDS[random.nextInt(WORDS.length)];
  }

  private byte[] bytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private String hex(int pairs) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes(pairs)) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }
}
