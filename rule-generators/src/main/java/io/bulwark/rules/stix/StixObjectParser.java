package io.bulwark.rules.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validates the tree of one bundle element and turns it into a {@link StixObjectResult}. */
final class StixObjectParser {

  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9-]{1,248}[a-z0-9]");
  private static final Pattern ID =
      Pattern.compile(
          "([a-z0-9][a-z0-9-]{1,248}[a-z0-9])--"
              + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** The longest {@code pattern_type} accepted: the vocabulary's names are short words. */
  static final int MAX_PATTERN_TYPE = 64;

  private final ReaderLimits limits;

  StixObjectParser(ReaderLimits limits) {
    this.limits = limits;
  }

  /** Returns {@code id} when it is a well-formed STIX id, else null. */
  static String wellFormedId(String id) {
    return id != null && ID.matcher(id).matches() ? id : null;
  }

  StixObjectResult parse(int index, ObjectNode node, String json) {
    Properties properties = new Properties(node);
    String id = null;
    try {
      String rawId = properties.requiredString("id");
      var idMatch = ID.matcher(rawId);
      if (!idMatch.matches()) {
        throw new Properties.Invalid(
            "property 'id' " + Properties.quote(rawId) + " is not <type>--<lowercase uuid>");
      }
      id = rawId;
      String type = properties.requiredString("type");
      if (!TYPE.matcher(type).matches()) {
        throw new Properties.Invalid("property 'type' " + Properties.quote(type) + " is malformed");
      }
      if (!idMatch.group(1).equals(type)) {
        throw new Properties.Invalid("id does not start with its type '" + type + "--'");
      }
      Instant created = properties.optionalTimestamp("created");
      Instant modified = properties.optionalTimestamp("modified");
      SpecVersion version = version(properties, created);
      if (created != null && modified != null && modified.isBefore(created)) {
        throw new Properties.Invalid("'modified' is before 'created'");
      }
      StixObject object = new StixObject(type, id, version.text(), created, modified, json);
      Optional<Indicator> indicator =
          type.equals("indicator") ? Optional.of(indicator(properties, id, version)) : Optional.empty();
      return new StixObjectResult.Accepted(index, object, indicator);
    } catch (Properties.Invalid e) {
      return new StixObjectResult.Rejected(index, id, e.getMessage());
    }
  }

  /**
   * The version an object came as: its {@code spec_version} when it has one; else STIX 2.0 for an
   * object with {@code created} (2.0 objects carry no {@code spec_version}, 2.1 domain and
   * relationship objects must), and 2.1 for one without (a 2.1 cyber-observable object, which 2.0
   * has only inside observed-data).
   */
  private static SpecVersion version(Properties properties, Instant created) {
    String text = properties.optionalString("spec_version");
    if (text == null) {
      return created == null ? SpecVersion.V2_1 : SpecVersion.V2_0;
    }
    return SpecVersion.of(text).orElseThrow(() -> new Properties.Invalid(
        "spec_version " + Properties.quote(text) + " is not supported; only 2.0 and 2.1"));
  }

  private Indicator indicator(Properties properties, String id, SpecVersion version) {
    String pattern = properties.requiredString("pattern");
    if (pattern.length() > limits.maxPatternLength()) {
      throw new Properties.Invalid(
          "property 'pattern' is longer than " + limits.maxPatternLength() + " characters");
    }
    // STIX 2.0 has no pattern_type: its indicators hold STIX patterns only.
    String patternType = version == SpecVersion.V2_0 && properties.optionalString("pattern_type") == null
        ? "stix"
        : properties.requiredString("pattern_type");
    if (patternType.length() > MAX_PATTERN_TYPE) {
      throw new Properties.Invalid(
          "property 'pattern_type' is longer than " + MAX_PATTERN_TYPE + " characters");
    }
    String name = properties.optionalString("name");
    // A store cannot hold U+0000 in text (PostgreSQL refuses it), and no name or pattern needs it.
    for (String[] value : new String[][] {{"name", name}, {"pattern", pattern}, {"pattern_type", patternType}}) {
      if (value[1] != null && value[1].indexOf('\u0000') >= 0) {
        throw new Properties.Invalid("property '" + value[0] + "' contains a NUL character (U+0000)");
      }
    }
    if (patternType.equals("stix")) {
      PatternResult parsed = PatternParser.parseStrict(pattern, version);
      if (parsed instanceof PatternResult.Failed failed) {
        throw new Properties.Invalid(
            "property 'pattern' is not a valid STIX pattern: " + failed.error());
      }
    }
    Instant created = required(properties, "created");
    Instant modified = required(properties, "modified");
    Instant validFrom = required(properties, "valid_from");
    Instant validUntil = properties.optionalTimestamp("valid_until");
    if (validUntil != null && !validUntil.isAfter(validFrom)) {
      throw new Properties.Invalid("'valid_until' is not after 'valid_from'");
    }
    return new Indicator(
        id,
        name,
        properties.optionalString("description"),
        pattern,
        patternType,
        validFrom,
        validUntil,
        properties.optionalBoolean("revoked"),
        created,
        modified,
        properties.optionalStrings("labels"),
        externalReferences(properties),
        version);
  }

  private static Instant required(Properties properties, String name) {
    Instant value = properties.optionalTimestamp(name);
    if (value == null) {
      throw new Properties.Invalid("missing required property '" + name + "'");
    }
    return value;
  }

  private static List<ExternalReference> externalReferences(Properties properties) {
    List<ExternalReference> references = new ArrayList<>();
    for (JsonNode element : properties.optionalArray("external_references")) {
      if (!element.isObject()) {
        throw new Properties.Invalid("'external_references' must hold objects");
      }
      Properties reference = new Properties((ObjectNode) element, "external_references[].");
      references.add(
          new ExternalReference(
              reference.requiredString("source_name"),
              reference.optionalString("external_id"),
              reference.optionalString("url")));
    }
    return references;
  }
}
