package io.bulwark.rules.term;

import io.bulwark.rules.stix.pattern.ComparisonExpression.Comparison;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Operator;
import io.bulwark.rules.stix.pattern.Literal;
import io.bulwark.rules.stix.pattern.ObjectPath;
import io.bulwark.rules.term.HashTerm.Algorithm;
import io.bulwark.rules.term.IpPrefix.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What one comparison says about the observed traffic, before comparisons are combined into terms.
 * A comparison with {@code IN} yields one fact per listed value, as alternatives.
 */
sealed interface Fact {

  /** The comparison in pattern syntax with long values shortened, for messages. */
  String source();

  /** An address or prefix the traffic's endpoint must be in. */
  record Address(IpPrefix prefix, String source) implements Fact {}

  /** The destination port of the traffic. */
  record DestinationPort(int port, String source) implements Fact {}

  /** The traffic's transport protocol. */
  record Transport(Protocol protocol, String source) implements Fact {}

  /** A value that is a term on its own: a domain, a URL or a file hash. */
  record Value(Term term, String source) implements Fact {}

  /** A constraint every enforceable address term already satisfies when families agree. */
  record AddressFamily(Family family, String source) implements Fact {}

  /** A condition that adds nothing a term could check, such as {@code protocols[*] = 'ipv4'}. */
  record Neutral(String source) implements Fact {}

  /** A condition no term can express; {@code reason} starts with the source. */
  record Blocked(String reason, String source) implements Fact {}

  /** Reads the alternatives one comparison allows. */
  static List<Fact> read(Comparison comparison) {
    String path = comparison.path().toString();
    Algorithm hash = hashAlgorithm(comparison.path());
    if (hash != null) {
      path = "file:hashes." + hash.name();
    }
    if (comparison.operator() == Operator.EQUAL) {
      String source = describe(comparison.path().toString(), "=", comparison.value());
      return List.of(read(path, comparison.value(), source));
    }
    List<Literal> values = ((Literal.SetLiteral) comparison.value()).elements();
    if (values.isEmpty()) {
      String source = path + " IN ()";
      return List.of(new Blocked(source + " matches nothing", source));
    }
    List<Fact> facts = new ArrayList<>(values.size());
    for (Literal value : values) {
      facts.add(read(path, value, describe(comparison.path().toString(), "=", value)));
    }
    return facts;
  }

  private static Fact read(String path, Literal value, String source) {
    switch (path) {
      case "ipv4-addr:value":
        return address(value, Family.V4, source);
      case "ipv6-addr:value":
        return address(value, Family.V6, source);
      case "network-traffic:src_ref.value":
      case "network-traffic:dst_ref.value":
        return address(value, null, source);
      case "network-traffic:src_ref.type":
      case "network-traffic:dst_ref.type":
        return referenceType(value, source);
      case "network-traffic:dst_port":
        return port(value, source);
      case "domain-name:value":
        return value(value, source, "a domain", DomainTerm::parse);
      case "url:value":
        return value(value, source, "a URL", UrlTerm::parse);
      case "email-addr:value":
      case "email-message:from_ref.value":
      case "email-message:sender_ref.value":
      case "email-message:to_refs[*].value":
      case "email-message:cc_refs[*].value":
      case "email-message:bcc_refs[*].value":
        return value(value, source, "an e-mail address", EmailTerm::parse);
      case "file:hashes.MD5":
      case "file:hashes.SHA1":
      case "file:hashes.SHA256":
      case "file:hashes.SHA512":
        Algorithm algorithm = Algorithm.valueOf(path.substring("file:hashes.".length()));
        return value(value, source, "a hash", text -> HashTerm.parse(algorithm, text));
      case "network-traffic:src_port":
        return new Blocked(source + ": source ports are not enforced", source);
      default:
        if (path.startsWith("network-traffic:protocols[") && path.endsWith("]")) {
          return protocol(value, source);
        }
        return new Blocked(source + ": no enforceable term for " + path, source);
    }
  }

  /** Returns the algorithm of a {@code file:hashes.NAME} path, or null for any other path. */
  private static Algorithm hashAlgorithm(ObjectPath path) {
    List<ObjectPath.Step> steps = path.steps();
    if (!path.objectType().equals("file")
        || steps.size() != 2
        || !(steps.get(0) instanceof ObjectPath.Property first && first.name().equals("hashes"))
        || !(steps.get(1) instanceof ObjectPath.Property second)) {
      return null;
    }
    return Algorithm.fromStixName(second.name()).orElse(null);
  }

  private static <T extends Term> Fact value(
      Literal value, String source, String what, Function<String, TermParse<T>> parser) {
    if (!(value instanceof Literal.StringLiteral string)) {
      return new Blocked(source + ": " + what + " must be a string", source);
    }
    TermParse<T> parsed = parser.apply(string.value());
    if (parsed instanceof TermParse.Invalid<T> invalid) {
      return new Blocked(source + ": " + invalid.reason(), source);
    }
    return new Value(((TermParse.Valid<T>) parsed).term(), source);
  }

  private static Fact address(Literal value, Family expected, String source) {
    if (!(value instanceof Literal.StringLiteral string)) {
      return new Blocked(source + ": an address must be a string", source);
    }
    TermParse<IpPrefix> parsed = IpPrefix.parse(string.value());
    if (parsed instanceof TermParse.Invalid<IpPrefix> invalid) {
      return new Blocked(source + ": " + invalid.reason(), source);
    }
    IpPrefix prefix = ((TermParse.Valid<IpPrefix>) parsed).term();
    if (expected != null && prefix.family() != expected) {
      String name = expected == Family.V4 ? "IPv4" : "IPv6";
      return new Blocked(source + ": not an " + name + " address", source);
    }
    return new Address(prefix, source);
  }

  private static Fact referenceType(Literal value, String source) {
    if (value instanceof Literal.StringLiteral string) {
      if (string.value().equals("ipv4-addr")) {
        return new AddressFamily(Family.V4, source);
      }
      if (string.value().equals("ipv6-addr")) {
        return new AddressFamily(Family.V6, source);
      }
    }
    return new Blocked(source + ": only address references are enforced", source);
  }

  private static Fact port(Literal value, String source) {
    if (!(value instanceof Literal.IntegerLiteral integer)) {
      return new Blocked(source + ": a port must be an integer", source);
    }
    // The protocol is decided when comparisons are combined; TCP only checks the range here.
    TermParse<PortTerm> parsed = PortTerm.of(Protocol.TCP, integer.value());
    if (parsed instanceof TermParse.Invalid<PortTerm> invalid) {
      return new Blocked(source + ": " + invalid.reason(), source);
    }
    return new DestinationPort((int) integer.value(), source);
  }

  private static Fact protocol(Literal value, String source) {
    if (!(value instanceof Literal.StringLiteral string)) {
      return new Blocked(source + ": a protocol must be a string", source);
    }
    String name = string.value();
    if (name.equalsIgnoreCase("ipv4") || name.equalsIgnoreCase("ipv6")) {
      return new Neutral(source);
    }
    return Protocol.fromName(name)
        .<Fact>map(protocol -> new Transport(protocol, source))
        .orElseGet(() -> new Blocked(source + ": only tcp, udp and sctp are enforced", source));
  }

  /** Renders {@code path op value} with strings shortened and control characters escaped. */
  private static String describe(String path, String operator, Literal value) {
    String text = value.toString();
    if (value instanceof Literal.StringLiteral string) {
      String shown = string.value();
      if (shown.length() > 64) {
        shown = shown.substring(0, 61) + "...";
      }
      StringBuilder quoted = new StringBuilder(shown.length() + 2).append('\'');
      shown.chars().forEach(c -> quoted.append(escape(c)));
      text = quoted.append('\'').toString();
    }
    return path + " " + operator + " " + text;
  }

  private static String escape(int c) {
    if (c == '\'' || c == '\\') {
      return "\\" + (char) c;
    }
    return c < 0x20 || c == 0x7F ? String.format("\\u%04x", c) : String.valueOf((char) c);
  }
}
