package io.bulwark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.testing.GoldenCase;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered target that has golden cases under {@code src/test/resources/<id>/} renders each
 * case exactly as its {@code .expected} file, leaves out exactly the listed terms, and renders the
 * same text twice.
 */
class GoldenFilesTest {

  private static final GeneratorRegistry REGISTRY = GeneratorRegistry.load();

  static Stream<Arguments> cases() {
    return REGISTRY.ids().stream()
        .filter(id -> GoldenFilesTest.class.getClassLoader().getResource(id) != null)
        .flatMap(id -> GoldenCase.all(id).map(golden -> Arguments.of(id, golden)));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("cases")
  void generate_goldenCase_matchesExpectedFile(String id, GoldenCase golden) {
    RuleGenerator generator = REGISTRY.find(id).orElseThrow();
    GenerationResult.Rules rules =
        assertInstanceOf(GenerationResult.Rules.class, generator.generate(golden.input()));
    assertNotNull(golden.expected(), "missing " + id + "/" + golden + ".expected");
    assertEquals(golden.expected(), rules.text());
    assertEquals(golden.uncovered(), rules.uncovered().stream().map(GoldenCase::describe).toList());
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("cases")
  void generate_sameInputTwice_givesSameDigest(String id, GoldenCase golden) {
    RuleGenerator generator = REGISTRY.find(id).orElseThrow();
    GenerationResult.Rules first = (GenerationResult.Rules) generator.generate(golden.input());
    GenerationResult.Rules second = (GenerationResult.Rules) generator.generate(golden.input());
    assertEquals(first.digest(), second.digest());
    assertEquals(first.files(), second.files());
  }
}
